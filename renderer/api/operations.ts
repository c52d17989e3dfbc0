/**
 * The renderer's names for the API contract's types. Every shape comes from the zod schemas in
 * core/, imported here as types only, so a contract change shows up as a type error instead of a
 * silent mismatch. Code the renderer runs from core (the contract's schemas to check a form as core
 * will, core/enumerations.ts, core/money...) is imported where it is used, never from here.
 */
import type { Contract, OperationName } from '../../core/api/contract.ts';
import type { OperationInput, OperationOutput } from '../../core/api/operation.ts';

export type { BoxOfficeClient } from '../../core/api/client.ts';
export type { CoreEvent, CoreEventListener } from '../../core/api/pubsub.ts';
export type { ApiError, ErrorCode } from '../../core/errors.ts';
export type { Result } from '../../core/result.ts';
export type { OperationName };

export type Input<K extends OperationName> = OperationInput<Contract[K]>;
export type Output<K extends OperationName> = OperationOutput<Contract[K]>;

export type CustomerSearchResult = Output<'customers.search'>['results'][number];
export type CustomerListRow = Output<'customers.list'>['rows'][number];
export type CustomerListInput = Input<'customers.list'>;
export type CustomerCard = Output<'customers.card'>;
export type EventSummary = Output<'events.list'>['events'][number];
export type CardProfile = CustomerCard['profile'];
export type CardTicket = CustomerCard['tickets'][number];
export type CardTag = CustomerCard['tags'][number];
export type CardOrder = CustomerCard['orders'][number];
export type CardTimelineEntry = CustomerCard['timeline'][number];
export type CardHistoryEntry = CustomerCard['history'][number];
export type CardTotals = CustomerCard['totals'];
export type ScanHistory = Output<'tickets.scanHistory'>;
export type LabelSummary = Output<'labels.list'>['labels'][number];
export type WebUserSummary = Output<'webUsers.search'>['webUsers'][number];
export type CsvFile = Output<'export.customerCsv'>;
export type UpdateCustomerInput = Input<'customers.update'>;
export type VerificationStatus = CardProfile['verificationStatus'];
export type ImportPreview = Output<'import.preview'>;
export type ImportField = NonNullable<ImportPreview['columns'][number]>;
export type ImportCustomersInput = Input<'import.customers'>;
export type ImportCustomersResult = Output<'import.customers'>;
export type ImportRejection = ImportCustomersResult['rejected'][number];
export type UnknownTicketType = ImportCustomersResult['unknownTicketTypes'][number];
export type TicketTypeChoice = NonNullable<ImportCustomersInput['ticketTypeChoices']>[number];
export type { ImportProgressEvent } from '../../core/api/pubsub.ts';
export type ReaderView = Output<'readers.list'>['readers'][number];
export type ReaderStatusView = ReaderView['status'];
export type ReaderEventView = NonNullable<ReaderView['lastEvent']>;
export type DriverAvailability = Output<'readers.list'>['drivers'][number];
export type ReaderCandidate = Output<'readers.candidates'>['candidates'][number];
export type AddReaderInput = Input<'readers.add'>;
export type SimulateReaderAction = Input<'readers.simulate'>['action'];
export type DemoCode = Output<'events.demoCodes'>['codes'][number];
export type DataFolderOverview = Output<'events.dataFolder'>;
export type CheckinVerdict = Output<'checkin.scan'>;
export type CheckinDirection = CheckinVerdict['direction'];
export type CheckinCounts = Output<'checkin.counts'>;
export type Gate = Output<'gates.list'>['gates'][number];
export type ActivationResult = Output<'tags.activateForTicket'>;
export type StationStatus = Output<'station.status'>;
export type { ScanReason } from '../../core/checkin/reasons.ts';
export type OperatorSummary = Output<'operators.list'>['operators'][number];
export type SyncStatusView = Output<'sync.status'>;
export type SyncEnrolInput = Input<'sync.enrol'>;
export type SyncNowResult = Output<'sync.now'>;
export type SyncCheckSummary = Output<'sync.check'>;
export type SyncCommandFilter = Input<'sync.commands'>['status'];
export type SyncCommandView = Output<'sync.commands'>['commands'][number];
export type AlertList = Output<'sync.alerts'>;
export type SyncAlertView = AlertList['alerts'][number];
export type { SyncProgressEvent } from '../../core/api/pubsub.ts';
