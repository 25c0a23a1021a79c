import { Field, ID, InputType } from 'type-graphql';
import { z } from 'zod';
import { inputClassMatches, optionalTextSchema, textSchema } from '@lic/shared';

const siteName = textSchema('The site name');
const siteAddress = optionalTextSchema('The address', 500);

/** Every rule of a new install site that needs no database. */
export const createInstallSiteSchema = z.object({
  accountId: z.string(),
  name: siteName,
  address: siteAddress,
});
export type CreateInstallSite = z.input<typeof createInstallSiteSchema>;

/** A change: an absent (or null) name stays; an absent address stays, null or empty clears it. */
export const updateInstallSiteSchema = z.object({
  name: siteName.nullish(),
  address: siteAddress.optional(),
  /** Clearing the Active check box deactivates; setting it reactivates. */
  active: z.boolean().nullish(),
});
export type UpdateInstallSite = z.input<typeof updateInstallSiteSchema>;

@InputType({ description: 'A new install site of an account' })
export class CreateInstallSiteInput {
  @Field(() => ID, { description: 'The account the site belongs to' })
  accountId!: string;

  @Field({ description: "The site's name" })
  name!: string;

  @Field(() => String, { description: "The site's postal address", nullable: true })
  address?: string | null;
}

@InputType({ description: 'What to change of an install site' })
export class UpdateInstallSiteInput {
  @Field(() => String, { description: "The site's new name", nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'null or empty clears it' })
  address?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'false deactivates (the Active check box); true reactivates',
  })
  active?: boolean | null;
}

inputClassMatches<CreateInstallSiteInput, typeof createInstallSiteSchema>(true);
inputClassMatches<UpdateInstallSiteInput, typeof updateInstallSiteSchema>(true);
