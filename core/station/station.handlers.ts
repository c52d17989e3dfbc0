import type { HandlerMap } from '../api/handlers.ts';
import type { stationOperations } from './station.contract.ts';
import { readCheckinMode, setCheckinMode } from './checkin-mode.ts';
import { lockStation, readStationStatus, setStationPin, unlockStation } from './station.ts';

export const stationHandlers: HandlerMap<typeof stationOperations> = {
  'station.status': (context) => readStationStatus(context),
  'station.setPin': (context, input) => setStationPin(context, input),
  'station.lock': (context) => lockStation(context),
  'station.unlock': (context, input) => unlockStation(context, input),
  'station.checkinMode': (context) => readCheckinMode(context.store),
  'station.setCheckinMode': (context, input) => setCheckinMode(context, input),
};
