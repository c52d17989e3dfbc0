import { z } from 'zod';
import { emailSchema, optionalText } from '../fields.ts';
import { genderFromText, genderLabels, genders } from './genders.ts';

/**
 * The rules of a customer's profile fields, shared by editing a customer (customers.update,
 * customers.createAccount) and by import rows, so an import can never store what the form
 * would refuse.
 */

const phoneSchema = optionalText(40, 'Phone').refine(
  (phone) => phone === null || (/^[\d\s+\-().]+$/.test(phone) && (phone.match(/\d/g)?.length ?? 0) >= 6),
  'Phone must have at least 6 digits and only digits, spaces and + - ( ) .',
);

/** An e-mail that may also be cleared: '' or null make the customer anonymous by e-mail. */
export const clearableEmailSchema = z
  .string()
  .trim()
  .transform((text) => (text === '' ? null : text))
  .pipe(emailSchema.nullable())
  .nullable();

/**
 * One of the offered genders (its value or its label, any case; `F`/`M` as spreadsheets often
 * write them), or '' / null for "not specified". Free text is refused ("banana" was accepted
 * before): the message lists the choices as staff read them.
 */
const genderSchema = z
  .string()
  .trim()
  .transform((text) => (text === '' ? null : genderFromText(text)))
  .pipe(
    z
      .enum(genders, { message: `Gender must be one of: ${Object.values(genderLabels).join(', ')}, or not specified` })
      .nullable(),
  )
  .nullable();

/** Seed 000's profile fields with their length limits ('' or null clears a field). */
export const profileFields = {
  firstName: optionalText(100, 'First name'),
  lastName: optionalText(100, 'Last name'),
  phone: phoneSchema,
  postcode: optionalText(20, 'Postcode'),
  address: optionalText(200, 'Address'),
  city: optionalText(100, 'City'),
  country: optionalText(100, 'Country'),
  gender: genderSchema,
};
