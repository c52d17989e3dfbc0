/** The renderer's few screens, addressed by the URL hash so file:// (Electron) works too. */
export type Route =
  | { screen: 'customers' }
  | { screen: 'customer'; customerId: string }
  | { screen: 'import' }
  | { screen: 'devices' }
  | { screen: 'checkin' }
  | { screen: 'activation' }
  | { screen: 'operators' }
  | { screen: 'sync' }
  | { screen: 'not-found'; hash: string };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '');
  if (path === '' || path === '/' || path === '/customers') return { screen: 'customers' };
  if (path === '/import') return { screen: 'import' };
  if (path === '/devices') return { screen: 'devices' };
  if (path === '/checkin') return { screen: 'checkin' };
  if (path === '/activation') return { screen: 'activation' };
  if (path === '/operators') return { screen: 'operators' };
  if (path === '/sync') return { screen: 'sync' };
  const card = /^\/customers\/([^/]+)$/.exec(path);
  if (card?.[1]) {
    try {
      return { screen: 'customer', customerId: decodeURIComponent(card[1]) };
    } catch {
      return { screen: 'not-found', hash };
    }
  }
  return { screen: 'not-found', hash };
}

export function hrefFor(route: Route): string {
  switch (route.screen) {
    case 'customers':
      return '#/customers';
    case 'customer':
      return `#/customers/${encodeURIComponent(route.customerId)}`;
    case 'import':
      return '#/import';
    case 'devices':
      return '#/devices';
    case 'checkin':
      return '#/checkin';
    case 'activation':
      return '#/activation';
    case 'operators':
      return '#/operators';
    case 'sync':
      return '#/sync';
    case 'not-found':
      return route.hash;
  }
}
