import { Field, ID, InputType } from 'type-graphql';
import { z } from 'zod';
import { inputClassMatches, phoneNumberSchema } from '@lic/shared';

/*
 * Logon and logoff are the hot path: their schemas stay small (a handful of checks, no text-rule
 * scans beyond the phone number), so parsing them costs microseconds against a logon's
 * milliseconds of database round trips.
 */

/** The application name, trimmed: 1 to 100 characters. */
const applicationSchema = z.string().transform((value, ctx) => {
  const name = value.trim();
  if (name.length === 0 || name.length > 100) {
    ctx.addIssue({ code: 'custom', message: 'application must be 1 to 100 characters' });
    return z.NEVER;
  }
  return name;
});

/** Every rule of a logon that needs no database: the application, the phone, a station or a phone. */
export const logonSchema = z
  .object({
    serverId: z.string(),
    userId: z.string(),
    application: applicationSchema,
    /** Trimmed; empty is none. */
    dynamicRemotePhone: z
      .string()
      .nullish()
      .transform((phone) => phone?.trim() || null)
      .pipe(phoneNumberSchema('dynamicRemotePhone must be a phone number').nullable()),
    stationId: z
      .string()
      .nullish()
      .transform((id) => id ?? null),
    telephoneOnly: z
      .boolean()
      .nullish()
      .transform((telephoneOnly) => telephoneOnly === true),
    occurredAt: z.date().nullish(),
  })
  .superRefine((logon, ctx) => {
    if (logon.stationId === null && logon.dynamicRemotePhone === null) {
      ctx.addIssue({
        code: 'custom',
        message: 'A logon needs a stationId, or a dynamicRemotePhone for a dynamic remote logon',
        path: ['stationId'],
      });
    }
  });
export type LogonRequest = z.input<typeof logonSchema>;

/** Every rule of a logoff that needs no database: the application. */
export const logoffSchema = z.object({
  serverId: z.string(),
  userId: z.string(),
  application: applicationSchema,
  occurredAt: z.date().nullish(),
});
export type LogoffRequest = z.input<typeof logoffSchema>;

@InputType({ description: 'A logon a CIC server reports' })
export class LogonInput {
  @Field(() => ID, { description: 'The server the user logs on to' })
  serverId!: string;

  @Field(() => ID, { description: 'The user logging on' })
  userId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The station logged on at (optional for a dynamic remote logon)',
  })
  stationId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'A dynamic remote logon: the phone number; takes a Basic Station licence',
  })
  dynamicRemotePhone?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      'From the telephone with no client application (a phone-only ACD agent): needs ACD access instead of client access',
  })
  telephoneOnly?: boolean | null;

  @Field({ description: 'The application logging on' })
  application!: string;

  @Field(() => Date, {
    nullable: true,
    description: "The server's event time (default now); with the rest, the replay key",
  })
  occurredAt?: Date | null;
}

@InputType({ description: 'A logoff a CIC server reports' })
export class LogoffInput {
  @Field(() => ID, { description: 'The server the user logs off from' })
  serverId!: string;

  @Field(() => ID, { description: 'The user logging off' })
  userId!: string;

  @Field({ description: 'The application logging off' })
  application!: string;

  @Field(() => Date, { description: 'When the logoff happened at the server (default now)', nullable: true })
  occurredAt?: Date | null;
}

inputClassMatches<LogonInput, typeof logonSchema>(true);
inputClassMatches<LogoffInput, typeof logoffSchema>(true);
