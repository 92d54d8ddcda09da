/** Fields every view shows of a record's markings, of a contact and of a page, selected once. */
import { graphql } from "../gql";

export const GradingFields = graphql(`
  fragment GradingFields on Grading {
    source
    assessment
    handling
    conditions
    conditionsOrgs
  }
`);

export const SpocFields = graphql(`
  fragment SpocFields on SpocContact {
    name
    email
    phone
  }
`);

/** What every paged list needs to load its next page (see usePagedQuery). */
export const PageInfoFields = graphql(`
  fragment PageInfoFields on PageInfo {
    endCursor
    hasNextPage
  }
`);
