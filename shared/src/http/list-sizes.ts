import { DEFAULT_PAGE_SIZE } from '../pagination/pagination.js';

/**
 * How many items the cost model assumes a list field returns when the query does not say (no
 * `first`/`last`/`limit` argument given, none defaulted in the schema), keyed `Type.field`. The
 * figures are what real deployments hold, generously: an account has a handful of servers and
 * sites, a CIC server a few hundred users and stations and some thirty licence keys, a partner
 * a few dozen accounts. A list field not named here counts as DEFAULT_LIST_SIZE.
 */
export const ASSUMED_LIST_SIZES: Readonly<Record<string, number>> = {
  'Query.accounts': 25,
  'Query.activationFiles': 20,
  'Query.partCatalog': 150,
  'Query.activationFileRequests': 20,
  'Query.accountLicenseCaps': 30,
  'Query.stations': 100,
  'Query.licenseStatistics': 30,
  'Query.cicUsers': 200,
  'Query.usageFiles': 31,
  'Query.enforcementHistory': 10,
  'Query.accountHolds': 5,
  'Account.servers': 4,
  'Account.installSites': 3,
  'Account.salesOrders': 10,
  'Account.summary': 30,
  'Account.activationFiles': 10,
  'InstallSite.activationFiles': 5,
  'ActivationFile.keys': 30,
  'ActivationFile.items': 20,
  'ActivationFileRequest.messages': 5,
  'ActivationFileRequest.attachments': 3,
  'SalesOrder.lines': 10,
  'SalesOrderLine.keys': 5,
  'Part.bundle': 5,
  'Server.users': 200,
  'Server.stations': 100,
  'Server.statistics': 30,
  'ServerLicense.keys': 30,
  'CicUser.activeSessions': 2,
  'LicenseStatisticsUpdate.statistics': 30,
  'SoftwareUpgrades.withUpgradeOption': 10,
  'SoftwareUpgrades.withoutUpgradeOption': 10,
  'UsageReport.lines': 30,
  // Connections without `first` return PAGE_SIZE_DEFAULT items: counted at the built-in default.
  'Query.accountsConnection': DEFAULT_PAGE_SIZE,
  'Query.activationFilesConnection': DEFAULT_PAGE_SIZE,
  'Query.activationFileRequestsConnection': DEFAULT_PAGE_SIZE,
  'Account.serversConnection': DEFAULT_PAGE_SIZE,
  'Server.usersConnection': DEFAULT_PAGE_SIZE,
  'Server.stationsConnection': DEFAULT_PAGE_SIZE,
  'Query.cicUsersConnection': DEFAULT_PAGE_SIZE,
  'Query.stationsConnection': DEFAULT_PAGE_SIZE,
  'Query.sessionsConnection': DEFAULT_PAGE_SIZE,
  'Query.licenseDenialsConnection': DEFAULT_PAGE_SIZE,
  'Query.usageSessionsConnection': DEFAULT_PAGE_SIZE,
  'Query.usageFilesConnection': DEFAULT_PAGE_SIZE,
  'Query.enforcementHistoryConnection': DEFAULT_PAGE_SIZE,
  'Query.webhookDeliveries': DEFAULT_PAGE_SIZE,
  'Query.apiKeys': DEFAULT_PAGE_SIZE,
  'Query.auditLog': DEFAULT_PAGE_SIZE,
};
