import type { HandlerMap } from '../api/handlers.ts';
import { runCommand, type CoreContext } from '../commands/command.ts';
import { DomainError, notFound } from '../errors.ts';
import type { DeviceManager } from '../devices/device-manager.ts';
import { addReader, findReaderConfiguration, listReaderConfigurations, removeReader, usbIdText, type ReaderConfiguration } from '../devices/reader-configurations.ts';
import type { readerOperations, ReaderStatus, ReaderView } from './readers.contract.ts';

const noDeviceManager = () =>
  new DomainError('UNAVAILABLE', 'This process has no device manager: readers run in the desktop app and in `box-office serve`');

function stoppedStatus(readerId: string, since: string): ReaderStatus {
  return { readerId, state: 'stopped', reason: null, since };
}

function viewOf(configuration: ReaderConfiguration, devices: DeviceManager | undefined): ReaderView {
  const last = devices?.lastEvent(configuration.id) ?? null;
  return {
    id: configuration.id,
    name: configuration.name,
    driver: configuration.driver,
    path: configuration.path,
    usbId: usbIdText(configuration.vendorId, configuration.productId),
    options: configuration.options,
    createdAt: configuration.createdAt,
    status: devices?.status(configuration.id) ?? stoppedStatus(configuration.id, configuration.createdAt),
    lastEvent: last?.event ?? null,
    lastEventAt: last?.at ?? null,
  };
}

function requireDevices(context: CoreContext): DeviceManager {
  if (!context.devices) throw noDeviceManager();
  return context.devices;
}

/** Configuration changes are commands (audit, outbox); live status and discovery are reads. */
export const readerHandlers: HandlerMap<typeof readerOperations> = {
  'readers.list': async (context) => {
    const drivers = (await context.devices?.drivers()) ?? [];
    return {
      readers: listReaderConfigurations(context.store).map((configuration) => viewOf(configuration, context.devices)),
      drivers,
      running: context.devices?.running ?? false,
    };
  },
  'readers.candidates': async (context) => {
    const found = await requireDevices(context).candidates();
    const configurations = listReaderConfigurations(context.store);
    return {
      unavailable: found.unavailable,
      candidates: found.candidates.map((candidate) => {
        const user = configurations.find(
          (configuration) =>
            (configuration.path !== null && configuration.path === candidate.path) ||
            (configuration.path === null && candidate.usbId !== null && usbIdText(configuration.vendorId, configuration.productId) === candidate.usbId),
        );
        return { ...candidate, configuredAs: user?.name ?? null };
      }),
    };
  },
  'readers.add': (context, input) => {
    const configuration = runCommand(context, addReader, input);
    context.devices?.configurationChanged();
    return viewOf(configuration, context.devices);
  },
  'readers.remove': (context, input) => {
    const removed = runCommand(context, removeReader, input);
    context.devices?.configurationChanged();
    return removed;
  },
  'readers.simulate': (context, input) => {
    const configuration = findReaderConfiguration(context.store, input.readerId);
    if (!configuration) throw notFound(`No reader ${input.readerId} is configured at this terminal`, 'readerId');
    if (configuration.driver !== 'simulated') {
      throw new DomainError('VALIDATION', `Reader "${configuration.name}" is a real device (${configuration.driver}), not a simulated reader`, 'readerId');
    }
    return { events: requireDevices(context).simulate(configuration.id, input.action) };
  },
};
