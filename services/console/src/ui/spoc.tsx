/** A single point of contact, with links an analyst can act on. */
import type { SpocFieldsFragment } from "../gql/graphql";

export function Spoc({ contact }: { contact: SpocFieldsFragment }) {
  return (
    <span className="spoc">
      {contact.name}, <a href={`mailto:${contact.email}`}>{contact.email}</a>, <a href={`tel:${contact.phone.replace(/\s/g, "")}`}>{contact.phone}</a>
    </span>
  );
}
