// OCPP 1.6 payload types for the actions ocpp-edge handles or sends (from the 1.6 JSON schemas).
export type IdTagStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx';
export interface IdTagInfo { status: IdTagStatus; expiryDate?: string; parentIdTag?: string }

export interface BootNotificationRequest {
  chargePointVendor: string; chargePointModel: string; chargePointSerialNumber?: string; chargeBoxSerialNumber?: string;
  firmwareVersion?: string; iccid?: string; imsi?: string; meterType?: string; meterSerialNumber?: string;
}
export interface BootNotificationResponse { status: 'Accepted' | 'Pending' | 'Rejected'; currentTime: string; interval: number }

export type HeartbeatRequest = Record<string, never>;
export interface HeartbeatResponse { currentTime: string }

export interface StatusNotificationRequest {
  connectorId: number; errorCode: string; info?: string; status: string;
  timestamp?: string; vendorId?: string; vendorErrorCode?: string;
}
export type EmptyResponse = Record<string, never>;

export interface AuthorizeRequest { idTag: string }
export interface AuthorizeResponse { idTagInfo: IdTagInfo }

export interface StartTransactionRequest { connectorId: number; idTag: string; meterStart: number; reservationId?: number; timestamp: string }
export interface StartTransactionResponse { idTagInfo: IdTagInfo; transactionId: number }

export interface SampledValue {
  value: string; context?: string; format?: string; measurand?: string; phase?: string; location?: string; unit?: string;
}
export interface MeterValue { timestamp: string; sampledValue: SampledValue[] }

export interface StopTransactionRequest {
  idTag?: string; meterStop: number; timestamp: string; transactionId: number; reason?: string; transactionData?: MeterValue[];
}
export interface StopTransactionResponse { idTagInfo?: IdTagInfo }

export interface MeterValuesRequest { connectorId: number; transactionId?: number; meterValue: MeterValue[] }

export interface DataTransferRequest { vendorId: string; messageId?: string; data?: string }
export interface DataTransferResponse { status: 'Accepted' | 'Rejected' | 'UnknownMessageId' | 'UnknownVendorId'; data?: string }

export interface DiagnosticsStatusNotificationRequest { status: string }
export interface FirmwareStatusNotificationRequest { status: string }
export interface SecurityEventNotificationRequest { type: string; timestamp: string; techInfo?: string }

// Server-initiated (CSMS -> charger) actions.
export interface ChargingSchedulePeriod { startPeriod: number; limit: number; numberPhases?: number }
export interface ChargingProfile {
  chargingProfileId: number; transactionId?: number; stackLevel: number;
  chargingProfilePurpose: 'ChargePointMaxProfile' | 'TxDefaultProfile' | 'TxProfile';
  chargingProfileKind: 'Absolute' | 'Recurring' | 'Relative'; recurrencyKind?: 'Daily' | 'Weekly';
  validFrom?: string; validTo?: string;
  chargingSchedule: {
    duration?: number; startSchedule?: string; chargingRateUnit: 'A' | 'W';
    chargingSchedulePeriod: ChargingSchedulePeriod[]; minChargingRate?: number;
  };
}
export interface KeyValue { key: string; readonly: boolean; value?: string }

/** Request and response of every action the CSMS can send. */
export interface OutboundActions {
  RemoteStartTransaction: { req: { connectorId?: number; idTag: string; chargingProfile?: ChargingProfile }; res: { status: 'Accepted' | 'Rejected' } };
  RemoteStopTransaction: { req: { transactionId: number }; res: { status: 'Accepted' | 'Rejected' } };
  ChangeAvailability: { req: { connectorId: number; type: 'Inoperative' | 'Operative' }; res: { status: 'Accepted' | 'Rejected' | 'Scheduled' } };
  Reset: { req: { type: 'Hard' | 'Soft' }; res: { status: 'Accepted' | 'Rejected' } };
  UnlockConnector: { req: { connectorId: number }; res: { status: 'Unlocked' | 'UnlockFailed' | 'NotSupported' } };
  GetConfiguration: { req: { key?: string[] }; res: { configurationKey?: KeyValue[]; unknownKey?: string[] } };
  ChangeConfiguration: { req: { key: string; value: string }; res: { status: 'Accepted' | 'Rejected' | 'RebootRequired' | 'NotSupported' } };
  ClearCache: { req: Record<string, never>; res: { status: 'Accepted' | 'Rejected' } };
  TriggerMessage: { req: { requestedMessage: string; connectorId?: number }; res: { status: 'Accepted' | 'Rejected' | 'NotImplemented' } };
  DataTransfer: { req: DataTransferRequest; res: DataTransferResponse };
  SendLocalList: {
    req: { listVersion: number; updateType: 'Differential' | 'Full'; localAuthorizationList?: Array<{ idTag: string; idTagInfo?: IdTagInfo }> };
    res: { status: 'Accepted' | 'Failed' | 'NotSupported' | 'VersionMismatch' };
  };
  GetLocalListVersion: { req: Record<string, never>; res: { listVersion: number } };
  ReserveNow: {
    req: { connectorId: number; expiryDate: string; idTag: string; parentIdTag?: string; reservationId: number };
    res: { status: 'Accepted' | 'Faulted' | 'Occupied' | 'Rejected' | 'Unavailable' };
  };
  CancelReservation: { req: { reservationId: number }; res: { status: 'Accepted' | 'Rejected' } };
  UpdateFirmware: { req: { location: string; retries?: number; retrieveDate: string; retryInterval?: number }; res: Record<string, never> };
  GetDiagnostics: {
    req: { location: string; retries?: number; retryInterval?: number; startTime?: string; stopTime?: string };
    res: { fileName?: string };
  };
  SetChargingProfile: { req: { connectorId: number; csChargingProfiles: ChargingProfile }; res: { status: 'Accepted' | 'Rejected' | 'NotSupported' } };
  ClearChargingProfile: {
    req: { id?: number; connectorId?: number; chargingProfilePurpose?: string; stackLevel?: number };
    res: { status: 'Accepted' | 'Unknown' };
  };
  GetCompositeSchedule: {
    req: { connectorId: number; duration: number; chargingRateUnit?: 'A' | 'W' };
    res: { status: 'Accepted' | 'Rejected'; connectorId?: number; scheduleStart?: string; chargingSchedule?: ChargingProfile['chargingSchedule'] };
  };
}
export type OutboundAction = keyof OutboundActions;
