import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { jsonText } from '@lic/shared';
import { PartKind } from './part-catalog.js';
import { LicenseKeyQuantity } from '../granted-key.types.js';

/** A row of the part catalogue, seeded from part-catalog.ts by a migration. */
@ObjectType({ description: 'A part number of the catalogue and the licence keys one unit grants' })
@Entity({ name: 'part' })
export class Part {
  @Field({ description: 'The part number, as ordered' })
  @PrimaryColumn({ name: 'part_number', type: 'varchar', length: 40 })
  partNumber!: string;

  @Field({ description: 'What the part is' })
  @Column({ type: 'varchar', length: 200 })
  description!: string;

  @Field(() => PartKind, { description: "What the part's units become in an activation file" })
  @Column({ type: 'varchar', length: 20 })
  kind!: PartKind;

  @Field(() => [String], {
    description: 'Keys one assigned unit grants; pooled units grant their _CONCURRENT twins',
  })
  @Column({ name: 'license_keys', type: 'text', transformer: jsonText })
  keys!: string[];

  @Field({ description: 'Whether upgradeSoftware can move this part to a newer product version' })
  @Column({ name: 'has_upgrade_option', type: 'boolean', default: false })
  hasUpgradeOption!: boolean;

  @Field(() => [LicenseKeyQuantity], {
    nullable: true,
    description: 'Evaluation parts: the fixed configuration',
  })
  @Column({ type: 'text', nullable: true, transformer: jsonText })
  bundle!: LicenseKeyQuantity[] | null;

  @Column({ name: 'sort_order', type: 'integer', default: 0 })
  sortOrder!: number;
}
