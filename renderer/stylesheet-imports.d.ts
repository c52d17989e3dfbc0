// Vite bundles stylesheets imported by a module (a screen's own CSS, uPlot's); TypeScript only needs to know they exist.
declare module '*.css';
