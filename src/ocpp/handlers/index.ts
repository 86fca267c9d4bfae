// Charger-initiated actions we answer. An action in the schemas but not here gets NotSupported.
import type { InboundHandlers } from '../handler.js';
import { authorize } from './Authorize.js';
import { bootNotification } from './BootNotification.js';
import { dataTransfer } from './DataTransfer.js';
import { diagnosticsStatusNotification } from './DiagnosticsStatusNotification.js';
import { firmwareStatusNotification } from './FirmwareStatusNotification.js';
import { heartbeat } from './Heartbeat.js';
import { meterValues } from './MeterValues.js';
import { securityEventNotification } from './SecurityEventNotification.js';
import { startTransaction } from './StartTransaction.js';
import { statusNotification } from './StatusNotification.js';
import { stopTransaction } from './StopTransaction.js';

export const handlers: InboundHandlers = {
  Authorize: authorize,
  BootNotification: bootNotification,
  DataTransfer: dataTransfer,
  DiagnosticsStatusNotification: diagnosticsStatusNotification,
  FirmwareStatusNotification: firmwareStatusNotification,
  Heartbeat: heartbeat,
  MeterValues: meterValues,
  SecurityEventNotification: securityEventNotification,
  StartTransaction: startTransaction,
  StatusNotification: statusNotification,
  StopTransaction: stopTransaction,
};
