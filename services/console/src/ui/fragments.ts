/** Fields every view shows of a record's markings, selected once. */
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
