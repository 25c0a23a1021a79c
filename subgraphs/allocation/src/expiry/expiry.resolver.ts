import { FieldResolver, Int, Resolver, Root, registerEnumType } from 'type-graphql';
import { type Clock } from '@lic/shared';
import { isUnlicensed } from '../pool/limits.js';
import { Server } from '../server/server.entity.js';
import { type ExpiryWarning, expiryMessage, expiryStatus } from './expiry.js';

const LicenseExpiryWarning: Record<ExpiryWarning, ExpiryWarning> = {
  DAYS_30: 'DAYS_30',
  DAYS_7: 'DAYS_7',
  DAY_1: 'DAY_1',
  EXPIRED: 'EXPIRED',
};
registerEnumType(LicenseExpiryWarning, {
  name: 'LicenseExpiryWarning',
  description: "How close the server's licence file is to its expiry (warned 30, 7 and 1 days before)",
  valuesConfig: {
    DAYS_30: { description: 'Expires within 30 days' },
    DAYS_7: { description: 'Expires within 7 days' },
    DAY_1: { description: 'Expires within a day' },
    EXPIRED: { description: 'Expired: the server is unlicensed until a new file is loaded' },
  },
});

/** The expiry part of a server's status (its answers depend on the platform's clock). */
@Resolver(() => Server)
export class ServerExpiryResolver {
  constructor(private readonly clock: Clock) {}

  @FieldResolver(() => Date, { nullable: true, description: 'When the loaded licence file expires' })
  licenseExpiresAt(@Root() server: Server): Date | null {
    return expiryStatus(server, this.clock.now()).expiresAt;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description:
      'Whole days until the licence file expires, rounded up (0 once expired); null without a file',
  })
  licenseDaysLeft(@Root() server: Server): number | null {
    return expiryStatus(server, this.clock.now()).daysLeft;
  }

  @FieldResolver(() => LicenseExpiryWarning, {
    nullable: true,
    description: 'Set 30, 7 and 1 days before the licence file expires, and once it has; null otherwise',
  })
  licenseExpiryWarning(@Root() server: Server): ExpiryWarning | null {
    return expiryStatus(server, this.clock.now()).warning;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The expiry warning in words, for a supervisor',
  })
  licenseExpiryMessage(@Root() server: Server): string | null {
    return expiryMessage(expiryStatus(server, this.clock.now()));
  }

  @FieldResolver(() => Boolean, {
    description: 'The loaded licence file has expired: the server is unlicensed until a new file is loaded',
  })
  licenseExpired(@Root() server: Server): boolean {
    return expiryStatus(server, this.clock.now()).expired;
  }

  @FieldResolver(() => Boolean, {
    description:
      'The server reverted to unlicensed (enforcement stage 6, or its licence file expired): call ports only, nothing acquired',
  })
  unlicensed(@Root() server: Server): boolean {
    return isUnlicensed(server) || expiryStatus(server, this.clock.now()).expired;
  }
}
