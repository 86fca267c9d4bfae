// The API's answers as the admin page reads them, declared once. The row types are the server's own (imported
// from src/), so `npm run typecheck` (tsc with checkJs over web/) fails when a page reads a field the API does
// not send. Lists follow one envelope: { <rows>: [...] } plus { total, limit, offset } or { limit, nextBefore }.

/** @typedef {{ total: number, limit: number, offset: number }} OffsetPaging */
/** @typedef {{ limit: number, nextBefore: number | null }} CursorPaging */

/** @typedef {import('../../src/server/routes/chargers.js').ChargerView} Charger */
/** @typedef {import('../../src/server/routes/chargers.js').ChargerDetail} ChargerDetail */
/** @typedef {import('../../src/domain/chargers.js').Connector} Connector */
/** @typedef {{ chargers: Charger[] }} ChargerList */
/** @typedef {{ charger: ChargerDetail }} ChargerAnswer */
/** @typedef {{ configurationKey?: Array<{ key: string, value?: string | null, readonly: boolean }>, unknownKey?: string[], cached?: boolean }} ConfigurationAnswer */

/** @typedef {import('../../src/domain/transactionQueries.js').TransactionView} Transaction */
/** @typedef {{ transactions: Transaction[] } & OffsetPaging} TransactionList */
/** @typedef {{ sessions: number, energyWh: number, costAmount: number }} TransactionSummary */
/** @typedef {import('../../src/domain/statistics.js').StatisticsRow} StatisticsRow */
/** @typedef {import('../../src/domain/statistics.js').StatisticsQuery & { rows: StatisticsRow[] }} StatisticsAnswer */
/** @typedef {{ id: number, walletId: number, amount: number, currency: string | null, balanceAfter: number, createdAt: string }} WalletCharge */
/** @typedef {{ transaction: Transaction & { walletCharge: WalletCharge | null } }} TransactionAnswer */
/** @typedef {{ transactionId: number, meterValues: import('../../src/domain/meterValues.js').StoredMeterValue[] }} MeterValueList */

/** @typedef {import('../../src/domain/users.js').User} User */
/** @typedef {import('../../src/domain/idTagRegistry.js').IdTag & { userName: string | null, userStatus: string | null }} IdTag */
/** @typedef {{ users: Array<User & { wallet: { balance: number, currency: string } | null }> } & OffsetPaging} UserList */
/** @typedef {{ user: User, idTags: IdTag[] }} UserAnswer */
/** @typedef {{ idTags: IdTag[] } & OffsetPaging} IdTagList */

/** @typedef {import('../../src/domain/wallets.js').Wallet} Wallet */
/** @typedef {import('../../src/domain/wallets.js').WalletEntry} LedgerEntry */
/** @typedef {{ wallet: Wallet | null, ledger: LedgerEntry[] } & CursorPaging} WalletAnswer */

/** @typedef {import('../../src/server/routes/health.js').HealthBody} Health */

/** @typedef {import('../../src/domain/tariffs.js').Tariff} Tariff */
/** @typedef {{ tariffs: Tariff[] }} TariffList */
/** @typedef {{ tariff: Tariff }} TariffAnswer */
/** @typedef {{ chargePointId: string, tariffId: number | null, effective: { tariff: Tariff, source: 'charger' | 'station' | 'default' } | null }} ChargerTariffAnswer */

/** @typedef {import('../../src/domain/stations.js').Station} Station */
/** @typedef {{ stations: Station[] }} StationList */
/** @typedef {import('../../src/domain/files.js').StoredFile & { chargePointId: string | null }} StoredFile */
/** @typedef {{ files: StoredFile[] }} FileList */
/** @typedef {import('../../src/domain/reservations.js').Reservation & { chargePointId: string | null }} Reservation */
/** @typedef {{ reservations: Reservation[] }} ReservationList */
/** @typedef {import('../../src/domain/securityEvents.js').SecurityEvent & { chargePointId: string | null }} SecurityEvent */
/** @typedef {{ events: SecurityEvent[] }} SecurityEventList */
/** @typedef {import('../../src/domain/adminUsers.js').AdminUser} AdminUser */
/** @typedef {{ adminUsers: AdminUser[] }} AdminUserList */
/** @typedef {import('../../src/domain/apiTokens.js').ApiTokenView} ApiToken */
/** @typedef {{ tokens: ApiToken[] }} ApiTokenList */
/** @typedef {Omit<import('../../src/domain/chargingProfiles.js').StoredChargingProfile, 'profile'> & { profile: import('../../src/protocol/ocpp16/index.js').ChargingProfile }} StoredProfile */
/** @typedef {{ profiles: StoredProfile[] }} ProfileList */
/** @typedef {import('../../src/protocol/ocpp16/index.js').GetCompositeScheduleResponse} CompositeSchedule */
/** @typedef {import('../../src/domain/messageLog.js').LogRow} LogRow */
/** @typedef {{ logs: LogRow[] } & CursorPaging} LogList */

export {};
