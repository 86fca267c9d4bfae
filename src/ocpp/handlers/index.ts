// Charger-initiated actions we answer. An action in the schemas but not here gets NotSupported.
import type { InboundHandlers } from '../handler.js';
import { authorize } from './Authorize.js';
import { bootNotification } from './BootNotification.js';
import { dataTransfer } from './DataTransfer.js';
import { diagnosticsStatusNotification } from './DiagnosticsStatusNotification.js';
import { firmwareStatusNotification } from './FirmwareStatusNotification.js';
import { heartbeat } from './Heartbeat.js';
import { logStatusNotification } from './LogStatusNotification.js';
import { meterValues } from './MeterValues.js';
import { securityEventNotification } from './SecurityEventNotification.js';
import { signCertificate } from './SignCertificate.js';
import { signedFirmwareStatusNotification } from './SignedFirmwareStatusNotification.js';
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
  LogStatusNotification: logStatusNotification,
  MeterValues: meterValues,
  SecurityEventNotification: securityEventNotification,
  SignCertificate: signCertificate,
  SignedFirmwareStatusNotification: signedFirmwareStatusNotification,
  StartTransaction: startTransaction,
  StatusNotification: statusNotification,
  StopTransaction: stopTransaction,
};
