import { Field, ID, InputType } from 'type-graphql';
import { z } from 'zod';
import { inputClassMatches, textSchema } from '@lic/shared';
import { AllocationMethod } from './user.entity.js';

/**
 * The interaction types an ACD workgroup queue routes (CIC's ACD media), by their canonical name; a
 * type is matched whatever its case, spaces, dashes or underscores ("work item" is WorkItem).
 */
export const INTERACTION_TYPES = [
  'Call',
  'Callback',
  'Chat',
  'Email',
  'Fax',
  'Generic',
  'SMS',
  'WorkItem',
  'SocialConversation',
  'SocialDirectMessage',
] as const;
const INTERACTION_TYPE_BY_FOLDED = new Map<string, string>(
  INTERACTION_TYPES.map((type) => [foldTypeName(type), type]),
);

function foldTypeName(type: string): string {
  return type.replace(/[\s_-]+/g, '').toLowerCase();
}

/** Known interaction types in their canonical spelling, without repeats; an unknown one is refused. */
function mediaTypesSchema(field: string) {
  return z
    .array(z.string())
    .max(20, { error: `${field} takes at most 20 interaction types` })
    .nullish()
    .transform((value, ctx) => {
      if (value === null || value === undefined) return null;
      const canonical: string[] = [];
      for (const type of value) {
        const known = type.length <= 40 ? INTERACTION_TYPE_BY_FOLDED.get(foldTypeName(type)) : undefined;
        if (!known) {
          ctx.addIssue({
            code: 'custom',
            message: `${field}: "${type.slice(0, 40)}" is not an interaction type (${INTERACTION_TYPES.join(', ')})`,
          });
          return z.NEVER;
        }
        canonical.push(known);
      }
      return [...new Set(canonical)];
    });
}

/** The interaction types of a user (createCicUser, setUserMediaTypes). */
export const userMediaTypesSchema = z.object({
  queuedMediaTypes: mediaTypesSchema('queuedMediaTypes'),
  chosenMediaTypes: mediaTypesSchema('chosenMediaTypes'),
});

/** Every rule of a new user that needs no database (the licences follow the pure licence rules). */
export const createCicUserSchema = z.object({
  serverId: z.string(),
  name: textSchema('name'),
  allocationMethod: z.enum(AllocationMethod),
  licenses: z.array(z.string()),
  ...userMediaTypesSchema.shape,
});
export type CreateCicUser = z.input<typeof createCicUserSchema>;

@InputType({ description: 'A new user on a CIC server' })
export class CreateCicUserInput {
  @Field(() => ID, { description: 'The server to create the user on' })
  serverId!: string;

  @Field({ description: "The user's name, unique on the server" })
  name!: string;

  @Field(() => AllocationMethod, { description: 'ASSIGNED or CONCURRENT' })
  allocationMethod!: AllocationMethod;

  @Field(() => [String], { description: 'The licence keys to give the user' })
  licenses!: string[];

  @Field(() => [String], {
    nullable: true,
    description: "Interaction types the user's workgroup queues carry",
  })
  queuedMediaTypes?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'The types an administrator chose (ACD media 1/2)' })
  chosenMediaTypes?: string[] | null;
}

inputClassMatches<CreateCicUserInput, typeof createCicUserSchema>(true);
