/* eslint-disable */
import * as types from "./graphql";

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
  "\n  mutation CreateAgreement($input: AgreementInput!) {\n    createAgreement(input: $input) {\n      id\n      version\n    }\n  }\n": typeof types.CreateAgreementDocument;
  "\n  mutation AmendAgreement($id: ID!, $expectedVersion: Int!, $input: AgreementInput!, $reason: String) {\n    amendAgreement(id: $id, expectedVersion: $expectedVersion, input: $input, reason: $reason) {\n      id\n      version\n    }\n  }\n": typeof types.AmendAgreementDocument;
  "\n  mutation SuspendAgreement($id: ID!, $expectedVersion: Int!, $reason: String!) {\n    suspendAgreement(id: $id, expectedVersion: $expectedVersion, reason: $reason) {\n      id\n      version\n    }\n  }\n": typeof types.SuspendAgreementDocument;
  "\n  mutation ReinstateAgreement($id: ID!, $expectedVersion: Int!, $reason: String!) {\n    reinstateAgreement(id: $id, expectedVersion: $expectedVersion, reason: $reason) {\n      id\n      version\n    }\n  }\n": typeof types.ReinstateAgreementDocument;
  "\n  mutation RevokeAgreement($id: ID!, $expectedVersion: Int!, $reason: String!) {\n    revokeAgreement(id: $id, expectedVersion: $expectedVersion, reason: $reason) {\n      id\n      version\n    }\n  }\n": typeof types.RevokeAgreementDocument;
  "\n  query Agreements($status: AgreementStatus, $after: String) {\n    orgs {\n      code\n    }\n    agreements(first: 20, after: $after, status: $status) {\n      nodes {\n        id\n        name\n        members\n        kinds\n        maxClassification\n        status\n        validFrom\n        validTo\n        version\n        updatedAt\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n": typeof types.AgreementsDocument;
  "\n  query AgreementHistory($id: ID!, $after: String) {\n    agreement(id: $id) {\n      id\n      name\n      status\n      version\n      history(first: 20, after: $after) {\n        nodes {\n          version\n          change\n          reason\n          changedBy\n          changedAt\n          members\n          kinds\n          maxClassification\n          status\n          validFrom\n          validTo\n        }\n        pageInfo {\n          ...PageInfoFields\n        }\n      }\n    }\n  }\n": typeof types.AgreementHistoryDocument;
  "\n  query DeconflictionAlerts($acknowledged: Boolean, $after: String) {\n    deconflictionAlerts(first: 20, after: $after, acknowledged: $acknowledged) {\n      nodes {\n        id\n        trigger\n        selector\n        raisedAt\n        lastAt\n        occurrences\n        yourRecordId\n        counterpartOrg\n        contact {\n          ...SpocFields\n        }\n        advice\n        acknowledgedAt\n        acknowledgedBy\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n": typeof types.DeconflictionAlertsDocument;
  "\n  mutation AcknowledgeAlert($id: ID!) {\n    acknowledgeDeconflictionAlert(id: $id) {\n      id\n      acknowledgedAt\n      acknowledgedBy\n    }\n  }\n": typeof types.AcknowledgeAlertDocument;
  "\n  query DeskAlerts($acknowledged: Boolean, $after: String) {\n    deconflictionDeskAlerts(first: 20, after: $after, acknowledged: $acknowledged) {\n      nodes {\n        id\n        trigger\n        selector\n        raisedAt\n        lastAt\n        occurrences\n        holderOrg\n        holderCovert\n        holderContact {\n          ...SpocFields\n        }\n        otherOrg\n        otherCovert\n        otherContact {\n          ...SpocFields\n        }\n        partners\n        holderAcknowledgedAt\n        otherAcknowledgedAt\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n": typeof types.DeskAlertsDocument;
  "\n  query AuditTrail($kent: Boolean!, $norfolk: Boolean!, $essex: Boolean!, $ceop: Boolean!, $recordId: ID, $sub: String, $org: String, $after: String) {\n    kent @include(if: $kent) {\n      auditTrail(recordId: $recordId, sub: $sub, org: $org, first: 20, after: $after) {\n        ...AuditPageFields\n      }\n    }\n    norfolk @include(if: $norfolk) {\n      auditTrail(recordId: $recordId, sub: $sub, org: $org, first: 20, after: $after) {\n        ...AuditPageFields\n      }\n    }\n    essex @include(if: $essex) {\n      auditTrail(recordId: $recordId, sub: $sub, org: $org, first: 20, after: $after) {\n        ...AuditPageFields\n      }\n    }\n    ceop @include(if: $ceop) {\n      auditTrail(recordId: $recordId, sub: $sub, org: $org, first: 20, after: $after) {\n        ...AuditPageFields\n      }\n    }\n  }\n\n  fragment AuditPageFields on AuditPage {\n    nodes {\n      seq\n      at\n      sub\n      org\n      roles\n      purpose\n      operation\n      action\n      requestId\n      recipientOrg\n      detail\n      records {\n        id\n        kind\n        level\n        reason\n      }\n    }\n    pageInfo {\n      ...PageInfoFields\n    }\n  }\n": typeof types.AuditTrailDocument;
  "\n  query ExplainAccess($kent: Boolean!, $norfolk: Boolean!, $essex: Boolean!, $ceop: Boolean!, $recordId: ID!, $as: PrincipalInput!) {\n    kent @include(if: $kent) {\n      explainAccess(recordId: $recordId, as: $as) {\n        ...ExplanationFields\n      }\n    }\n    norfolk @include(if: $norfolk) {\n      explainAccess(recordId: $recordId, as: $as) {\n        ...ExplanationFields\n      }\n    }\n    essex @include(if: $essex) {\n      explainAccess(recordId: $recordId, as: $as) {\n        ...ExplanationFields\n      }\n    }\n    ceop @include(if: $ceop) {\n      explainAccess(recordId: $recordId, as: $as) {\n        ...ExplanationFields\n      }\n    }\n  }\n\n  fragment ExplanationFields on AccessExplanation {\n    read {\n      level\n      reason\n      contact {\n        ...SpocFields\n      }\n    }\n    search {\n      level\n      reason\n    }\n  }\n": typeof types.ExplainAccessDocument;
  "\n  query Orgs {\n    orgs {\n      code\n      name\n    }\n  }\n": typeof types.OrgsDocument;
  "\n  query Forum($id: ID!) {\n    forum(id: $id) {\n      id\n      owner\n      classification\n      covert\n      reviewDue\n      reviewOverdue\n      createdBy\n      createdAt\n      updatedAt\n      access {\n        level\n        reason\n      }\n      grading {\n        ...GradingFields\n      }\n      platform\n      name\n      url\n      kind\n      riskSummary\n      riskLevel\n    }\n  }\n": typeof types.ForumDocument;
  "\n  query ForumMonitoring($id: ID!, $after: String) {\n    forum(id: $id) {\n      id\n      monitoring(first: 20, after: $after) {\n        nodes {\n          id\n          org\n          from\n          to\n          active\n          covert\n          classification\n          leadOfficer {\n            name\n            email\n            phone\n          }\n        }\n        pageInfo {\n          ...PageInfoFields\n        }\n      }\n    }\n  }\n": typeof types.ForumMonitoringDocument;
  "\n  query LinkGraph($rootId: ID!, $depth: Int!) {\n    orgs {\n      code\n    }\n    linkGraph(rootId: $rootId, depth: $depth) {\n      root {\n        id\n      }\n      nodes {\n        id\n        owner\n        classification\n        ... on OnlineIdentity {\n          handle\n        }\n        ... on Forum {\n          name\n        }\n      }\n      edges {\n        id\n        linkType\n        classification\n        from {\n          identity {\n            id\n          }\n        }\n        toIdentity {\n          identity {\n            id\n          }\n        }\n        toForum {\n          forum {\n            id\n          }\n        }\n      }\n      truncated\n      unavailableOrgs\n    }\n  }\n": typeof types.LinkGraphDocument;
  "\n  query Identity($id: ID!) {\n    identity(id: $id) {\n      id\n      owner\n      classification\n      covert\n      reviewDue\n      reviewOverdue\n      createdBy\n      createdAt\n      updatedAt\n      access {\n        level\n        reason\n      }\n      grading {\n        ...GradingFields\n      }\n      platform\n      platformOther\n      handle\n      normalisedHandle\n      displayName\n      profileUrl\n      status\n      notes\n      firstSeen\n      lastSeen\n      selectors {\n        kind\n        value\n      }\n    }\n  }\n": typeof types.IdentityDocument;
  "\n  query IdentityLinks($id: ID!, $after: String) {\n    identity(id: $id) {\n      id\n      links(first: 50, after: $after) {\n        nodes {\n          id\n          owner\n          linkType\n          rationale\n          classification\n          grading {\n            ...GradingFields\n          }\n          toIdentity {\n            identity {\n              id\n              handle\n              owner\n            }\n          }\n          toForum {\n            forum {\n              id\n              name\n              owner\n            }\n          }\n        }\n        pageInfo {\n          ...PageInfoFields\n        }\n      }\n    }\n  }\n": typeof types.IdentityLinksDocument;
  "\n  query IdentitySightings($id: ID!, $after: String) {\n    identity(id: $id) {\n      id\n      sightings(first: 20, after: $after) {\n        nodes {\n          id\n          org\n          seenAt\n          note\n          classification\n          forum {\n            forum {\n              id\n              name\n            }\n          }\n        }\n        pageInfo {\n          ...PageInfoFields\n        }\n      }\n    }\n  }\n": typeof types.IdentitySightingsDocument;
  "\n  query MonitoringOverlaps($after: String) {\n    monitoringOverview {\n      overlaps(first: 20, after: $after) {\n        nodes {\n          forum {\n            forum {\n              id\n              name\n              platform\n              owner\n              riskLevel\n              classification\n            }\n          }\n          orgs\n          covertInvolved\n          assignments {\n            id\n            org\n            covert\n            active\n            from\n            to\n            classification\n            leadOfficer {\n              name\n              email\n              phone\n            }\n          }\n        }\n        pageInfo {\n          ...PageInfoFields\n        }\n      }\n    }\n  }\n": typeof types.MonitoringOverlapsDocument;
  "\n  query UnmonitoredHighRisk($after: String) {\n    monitoringOverview {\n      unmonitoredHighRisk(first: 20, after: $after) {\n        nodes {\n          recordId\n          forum {\n            forum {\n              id\n              name\n              platform\n              classification\n            }\n          }\n          org {\n            code\n            spoc {\n              ...SpocFields\n            }\n          }\n          access {\n            level\n            reason\n          }\n          lastMonitoredUntil\n        }\n        pageInfo {\n          ...PageInfoFields\n        }\n      }\n    }\n  }\n": typeof types.UnmonitoredHighRiskDocument;
  "\n  mutation RequestAccess($recordId: ID!, $purpose: String!) {\n    requestAccess(recordId: $recordId, purpose: $purpose) {\n      id\n      owner\n      status\n    }\n  }\n": typeof types.RequestAccessDocument;
  "\n  query AccessRequests($status: AccessRequestStatus, $after: String) {\n    accessRequests(first: 20, after: $after, status: $status) {\n      nodes {\n        id\n        recordId\n        owner\n        requesterOrg\n        requesterSub\n        purpose\n        status\n        createdAt\n        decidedAt\n        decidedBy\n        note\n        grantExpiresAt\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n": typeof types.AccessRequestsDocument;
  "\n  mutation DecideAccessRequest($id: ID!, $decision: AccessDecision!, $expiresAt: DateTimeISO, $note: String) {\n    decideAccessRequest(id: $id, decision: $decision, expiresAt: $expiresAt, note: $note) {\n      id\n      status\n    }\n  }\n": typeof types.DecideAccessRequestDocument;
  "\n  query Search($query: String!, $platform: Platform, $fuzzy: Boolean!, $after: String) {\n    orgs {\n      code\n      name\n    }\n    search(query: $query, platform: $platform, fuzzy: $fuzzy, first: 20, after: $after) {\n      nodes {\n        recordId\n        selector\n        match\n        score\n        org {\n          code\n          name\n          spoc {\n            ...SpocFields\n          }\n        }\n        access {\n          level\n          reason\n        }\n        identity {\n          id\n          handle\n          platform\n          platformOther\n          displayName\n          status\n          classification\n          covert\n          lastSeen\n          grading {\n            ...GradingFields\n          }\n        }\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n": typeof types.SearchDocument;
  "\n  query SearchDeconfliction {\n    deconflictionAlerts(first: 20, acknowledged: false) {\n      nodes {\n        id\n        trigger\n        selector\n        lastAt\n        yourRecordId\n        advice\n        contact {\n          ...SpocFields\n        }\n      }\n    }\n  }\n": typeof types.SearchDeconflictionDocument;
  "\n  fragment GradingFields on Grading {\n    source\n    assessment\n    handling\n    conditions\n    conditionsOrgs\n  }\n": typeof types.GradingFieldsFragmentDoc;
  "\n  fragment SpocFields on SpocContact {\n    name\n    email\n    phone\n  }\n": typeof types.SpocFieldsFragmentDoc;
  "\n  fragment PageInfoFields on PageInfo {\n    endCursor\n    hasNextPage\n  }\n": typeof types.PageInfoFieldsFragmentDoc;
};
const documents: Documents = {
  "\n  mutation CreateAgreement($input: AgreementInput!) {\n    createAgreement(input: $input) {\n      id\n      version\n    }\n  }\n":
    types.CreateAgreementDocument,
  "\n  mutation AmendAgreement($id: ID!, $expectedVersion: Int!, $input: AgreementInput!, $reason: String) {\n    amendAgreement(id: $id, expectedVersion: $expectedVersion, input: $input, reason: $reason) {\n      id\n      version\n    }\n  }\n":
    types.AmendAgreementDocument,
  "\n  mutation SuspendAgreement($id: ID!, $expectedVersion: Int!, $reason: String!) {\n    suspendAgreement(id: $id, expectedVersion: $expectedVersion, reason: $reason) {\n      id\n      version\n    }\n  }\n":
    types.SuspendAgreementDocument,
  "\n  mutation ReinstateAgreement($id: ID!, $expectedVersion: Int!, $reason: String!) {\n    reinstateAgreement(id: $id, expectedVersion: $expectedVersion, reason: $reason) {\n      id\n      version\n    }\n  }\n":
    types.ReinstateAgreementDocument,
  "\n  mutation RevokeAgreement($id: ID!, $expectedVersion: Int!, $reason: String!) {\n    revokeAgreement(id: $id, expectedVersion: $expectedVersion, reason: $reason) {\n      id\n      version\n    }\n  }\n":
    types.RevokeAgreementDocument,
  "\n  query Agreements($status: AgreementStatus, $after: String) {\n    orgs {\n      code\n    }\n    agreements(first: 20, after: $after, status: $status) {\n      nodes {\n        id\n        name\n        members\n        kinds\n        maxClassification\n        status\n        validFrom\n        validTo\n        version\n        updatedAt\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n":
    types.AgreementsDocument,
  "\n  query AgreementHistory($id: ID!, $after: String) {\n    agreement(id: $id) {\n      id\n      name\n      status\n      version\n      history(first: 20, after: $after) {\n        nodes {\n          version\n          change\n          reason\n          changedBy\n          changedAt\n          members\n          kinds\n          maxClassification\n          status\n          validFrom\n          validTo\n        }\n        pageInfo {\n          ...PageInfoFields\n        }\n      }\n    }\n  }\n":
    types.AgreementHistoryDocument,
  "\n  query DeconflictionAlerts($acknowledged: Boolean, $after: String) {\n    deconflictionAlerts(first: 20, after: $after, acknowledged: $acknowledged) {\n      nodes {\n        id\n        trigger\n        selector\n        raisedAt\n        lastAt\n        occurrences\n        yourRecordId\n        counterpartOrg\n        contact {\n          ...SpocFields\n        }\n        advice\n        acknowledgedAt\n        acknowledgedBy\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n":
    types.DeconflictionAlertsDocument,
  "\n  mutation AcknowledgeAlert($id: ID!) {\n    acknowledgeDeconflictionAlert(id: $id) {\n      id\n      acknowledgedAt\n      acknowledgedBy\n    }\n  }\n":
    types.AcknowledgeAlertDocument,
  "\n  query DeskAlerts($acknowledged: Boolean, $after: String) {\n    deconflictionDeskAlerts(first: 20, after: $after, acknowledged: $acknowledged) {\n      nodes {\n        id\n        trigger\n        selector\n        raisedAt\n        lastAt\n        occurrences\n        holderOrg\n        holderCovert\n        holderContact {\n          ...SpocFields\n        }\n        otherOrg\n        otherCovert\n        otherContact {\n          ...SpocFields\n        }\n        partners\n        holderAcknowledgedAt\n        otherAcknowledgedAt\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n":
    types.DeskAlertsDocument,
  "\n  query AuditTrail($kent: Boolean!, $norfolk: Boolean!, $essex: Boolean!, $ceop: Boolean!, $recordId: ID, $sub: String, $org: String, $after: String) {\n    kent @include(if: $kent) {\n      auditTrail(recordId: $recordId, sub: $sub, org: $org, first: 20, after: $after) {\n        ...AuditPageFields\n      }\n    }\n    norfolk @include(if: $norfolk) {\n      auditTrail(recordId: $recordId, sub: $sub, org: $org, first: 20, after: $after) {\n        ...AuditPageFields\n      }\n    }\n    essex @include(if: $essex) {\n      auditTrail(recordId: $recordId, sub: $sub, org: $org, first: 20, after: $after) {\n        ...AuditPageFields\n      }\n    }\n    ceop @include(if: $ceop) {\n      auditTrail(recordId: $recordId, sub: $sub, org: $org, first: 20, after: $after) {\n        ...AuditPageFields\n      }\n    }\n  }\n\n  fragment AuditPageFields on AuditPage {\n    nodes {\n      seq\n      at\n      sub\n      org\n      roles\n      purpose\n      operation\n      action\n      requestId\n      recipientOrg\n      detail\n      records {\n        id\n        kind\n        level\n        reason\n      }\n    }\n    pageInfo {\n      ...PageInfoFields\n    }\n  }\n":
    types.AuditTrailDocument,
  "\n  query ExplainAccess($kent: Boolean!, $norfolk: Boolean!, $essex: Boolean!, $ceop: Boolean!, $recordId: ID!, $as: PrincipalInput!) {\n    kent @include(if: $kent) {\n      explainAccess(recordId: $recordId, as: $as) {\n        ...ExplanationFields\n      }\n    }\n    norfolk @include(if: $norfolk) {\n      explainAccess(recordId: $recordId, as: $as) {\n        ...ExplanationFields\n      }\n    }\n    essex @include(if: $essex) {\n      explainAccess(recordId: $recordId, as: $as) {\n        ...ExplanationFields\n      }\n    }\n    ceop @include(if: $ceop) {\n      explainAccess(recordId: $recordId, as: $as) {\n        ...ExplanationFields\n      }\n    }\n  }\n\n  fragment ExplanationFields on AccessExplanation {\n    read {\n      level\n      reason\n      contact {\n        ...SpocFields\n      }\n    }\n    search {\n      level\n      reason\n    }\n  }\n":
    types.ExplainAccessDocument,
  "\n  query Orgs {\n    orgs {\n      code\n      name\n    }\n  }\n": types.OrgsDocument,
  "\n  query Forum($id: ID!) {\n    forum(id: $id) {\n      id\n      owner\n      classification\n      covert\n      reviewDue\n      reviewOverdue\n      createdBy\n      createdAt\n      updatedAt\n      access {\n        level\n        reason\n      }\n      grading {\n        ...GradingFields\n      }\n      platform\n      name\n      url\n      kind\n      riskSummary\n      riskLevel\n    }\n  }\n":
    types.ForumDocument,
  "\n  query ForumMonitoring($id: ID!, $after: String) {\n    forum(id: $id) {\n      id\n      monitoring(first: 20, after: $after) {\n        nodes {\n          id\n          org\n          from\n          to\n          active\n          covert\n          classification\n          leadOfficer {\n            name\n            email\n            phone\n          }\n        }\n        pageInfo {\n          ...PageInfoFields\n        }\n      }\n    }\n  }\n":
    types.ForumMonitoringDocument,
  "\n  query LinkGraph($rootId: ID!, $depth: Int!) {\n    orgs {\n      code\n    }\n    linkGraph(rootId: $rootId, depth: $depth) {\n      root {\n        id\n      }\n      nodes {\n        id\n        owner\n        classification\n        ... on OnlineIdentity {\n          handle\n        }\n        ... on Forum {\n          name\n        }\n      }\n      edges {\n        id\n        linkType\n        classification\n        from {\n          identity {\n            id\n          }\n        }\n        toIdentity {\n          identity {\n            id\n          }\n        }\n        toForum {\n          forum {\n            id\n          }\n        }\n      }\n      truncated\n      unavailableOrgs\n    }\n  }\n":
    types.LinkGraphDocument,
  "\n  query Identity($id: ID!) {\n    identity(id: $id) {\n      id\n      owner\n      classification\n      covert\n      reviewDue\n      reviewOverdue\n      createdBy\n      createdAt\n      updatedAt\n      access {\n        level\n        reason\n      }\n      grading {\n        ...GradingFields\n      }\n      platform\n      platformOther\n      handle\n      normalisedHandle\n      displayName\n      profileUrl\n      status\n      notes\n      firstSeen\n      lastSeen\n      selectors {\n        kind\n        value\n      }\n    }\n  }\n":
    types.IdentityDocument,
  "\n  query IdentityLinks($id: ID!, $after: String) {\n    identity(id: $id) {\n      id\n      links(first: 50, after: $after) {\n        nodes {\n          id\n          owner\n          linkType\n          rationale\n          classification\n          grading {\n            ...GradingFields\n          }\n          toIdentity {\n            identity {\n              id\n              handle\n              owner\n            }\n          }\n          toForum {\n            forum {\n              id\n              name\n              owner\n            }\n          }\n        }\n        pageInfo {\n          ...PageInfoFields\n        }\n      }\n    }\n  }\n":
    types.IdentityLinksDocument,
  "\n  query IdentitySightings($id: ID!, $after: String) {\n    identity(id: $id) {\n      id\n      sightings(first: 20, after: $after) {\n        nodes {\n          id\n          org\n          seenAt\n          note\n          classification\n          forum {\n            forum {\n              id\n              name\n            }\n          }\n        }\n        pageInfo {\n          ...PageInfoFields\n        }\n      }\n    }\n  }\n":
    types.IdentitySightingsDocument,
  "\n  query MonitoringOverlaps($after: String) {\n    monitoringOverview {\n      overlaps(first: 20, after: $after) {\n        nodes {\n          forum {\n            forum {\n              id\n              name\n              platform\n              owner\n              riskLevel\n              classification\n            }\n          }\n          orgs\n          covertInvolved\n          assignments {\n            id\n            org\n            covert\n            active\n            from\n            to\n            classification\n            leadOfficer {\n              name\n              email\n              phone\n            }\n          }\n        }\n        pageInfo {\n          ...PageInfoFields\n        }\n      }\n    }\n  }\n":
    types.MonitoringOverlapsDocument,
  "\n  query UnmonitoredHighRisk($after: String) {\n    monitoringOverview {\n      unmonitoredHighRisk(first: 20, after: $after) {\n        nodes {\n          recordId\n          forum {\n            forum {\n              id\n              name\n              platform\n              classification\n            }\n          }\n          org {\n            code\n            spoc {\n              ...SpocFields\n            }\n          }\n          access {\n            level\n            reason\n          }\n          lastMonitoredUntil\n        }\n        pageInfo {\n          ...PageInfoFields\n        }\n      }\n    }\n  }\n":
    types.UnmonitoredHighRiskDocument,
  "\n  mutation RequestAccess($recordId: ID!, $purpose: String!) {\n    requestAccess(recordId: $recordId, purpose: $purpose) {\n      id\n      owner\n      status\n    }\n  }\n":
    types.RequestAccessDocument,
  "\n  query AccessRequests($status: AccessRequestStatus, $after: String) {\n    accessRequests(first: 20, after: $after, status: $status) {\n      nodes {\n        id\n        recordId\n        owner\n        requesterOrg\n        requesterSub\n        purpose\n        status\n        createdAt\n        decidedAt\n        decidedBy\n        note\n        grantExpiresAt\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n":
    types.AccessRequestsDocument,
  "\n  mutation DecideAccessRequest($id: ID!, $decision: AccessDecision!, $expiresAt: DateTimeISO, $note: String) {\n    decideAccessRequest(id: $id, decision: $decision, expiresAt: $expiresAt, note: $note) {\n      id\n      status\n    }\n  }\n":
    types.DecideAccessRequestDocument,
  "\n  query Search($query: String!, $platform: Platform, $fuzzy: Boolean!, $after: String) {\n    orgs {\n      code\n      name\n    }\n    search(query: $query, platform: $platform, fuzzy: $fuzzy, first: 20, after: $after) {\n      nodes {\n        recordId\n        selector\n        match\n        score\n        org {\n          code\n          name\n          spoc {\n            ...SpocFields\n          }\n        }\n        access {\n          level\n          reason\n        }\n        identity {\n          id\n          handle\n          platform\n          platformOther\n          displayName\n          status\n          classification\n          covert\n          lastSeen\n          grading {\n            ...GradingFields\n          }\n        }\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n":
    types.SearchDocument,
  "\n  query SearchDeconfliction {\n    deconflictionAlerts(first: 20, acknowledged: false) {\n      nodes {\n        id\n        trigger\n        selector\n        lastAt\n        yourRecordId\n        advice\n        contact {\n          ...SpocFields\n        }\n      }\n    }\n  }\n":
    types.SearchDeconflictionDocument,
  "\n  fragment GradingFields on Grading {\n    source\n    assessment\n    handling\n    conditions\n    conditionsOrgs\n  }\n":
    types.GradingFieldsFragmentDoc,
  "\n  fragment SpocFields on SpocContact {\n    name\n    email\n    phone\n  }\n": types.SpocFieldsFragmentDoc,
  "\n  fragment PageInfoFields on PageInfo {\n    endCursor\n    hasNextPage\n  }\n": types.PageInfoFieldsFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation CreateAgreement($input: AgreementInput!) {\n    createAgreement(input: $input) {\n      id\n      version\n    }\n  }\n",
): typeof import("./graphql").CreateAgreementDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation AmendAgreement($id: ID!, $expectedVersion: Int!, $input: AgreementInput!, $reason: String) {\n    amendAgreement(id: $id, expectedVersion: $expectedVersion, input: $input, reason: $reason) {\n      id\n      version\n    }\n  }\n",
): typeof import("./graphql").AmendAgreementDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation SuspendAgreement($id: ID!, $expectedVersion: Int!, $reason: String!) {\n    suspendAgreement(id: $id, expectedVersion: $expectedVersion, reason: $reason) {\n      id\n      version\n    }\n  }\n",
): typeof import("./graphql").SuspendAgreementDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation ReinstateAgreement($id: ID!, $expectedVersion: Int!, $reason: String!) {\n    reinstateAgreement(id: $id, expectedVersion: $expectedVersion, reason: $reason) {\n      id\n      version\n    }\n  }\n",
): typeof import("./graphql").ReinstateAgreementDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation RevokeAgreement($id: ID!, $expectedVersion: Int!, $reason: String!) {\n    revokeAgreement(id: $id, expectedVersion: $expectedVersion, reason: $reason) {\n      id\n      version\n    }\n  }\n",
): typeof import("./graphql").RevokeAgreementDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query Agreements($status: AgreementStatus, $after: String) {\n    orgs {\n      code\n    }\n    agreements(first: 20, after: $after, status: $status) {\n      nodes {\n        id\n        name\n        members\n        kinds\n        maxClassification\n        status\n        validFrom\n        validTo\n        version\n        updatedAt\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n",
): typeof import("./graphql").AgreementsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query AgreementHistory($id: ID!, $after: String) {\n    agreement(id: $id) {\n      id\n      name\n      status\n      version\n      history(first: 20, after: $after) {\n        nodes {\n          version\n          change\n          reason\n          changedBy\n          changedAt\n          members\n          kinds\n          maxClassification\n          status\n          validFrom\n          validTo\n        }\n        pageInfo {\n          ...PageInfoFields\n        }\n      }\n    }\n  }\n",
): typeof import("./graphql").AgreementHistoryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query DeconflictionAlerts($acknowledged: Boolean, $after: String) {\n    deconflictionAlerts(first: 20, after: $after, acknowledged: $acknowledged) {\n      nodes {\n        id\n        trigger\n        selector\n        raisedAt\n        lastAt\n        occurrences\n        yourRecordId\n        counterpartOrg\n        contact {\n          ...SpocFields\n        }\n        advice\n        acknowledgedAt\n        acknowledgedBy\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n",
): typeof import("./graphql").DeconflictionAlertsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation AcknowledgeAlert($id: ID!) {\n    acknowledgeDeconflictionAlert(id: $id) {\n      id\n      acknowledgedAt\n      acknowledgedBy\n    }\n  }\n",
): typeof import("./graphql").AcknowledgeAlertDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query DeskAlerts($acknowledged: Boolean, $after: String) {\n    deconflictionDeskAlerts(first: 20, after: $after, acknowledged: $acknowledged) {\n      nodes {\n        id\n        trigger\n        selector\n        raisedAt\n        lastAt\n        occurrences\n        holderOrg\n        holderCovert\n        holderContact {\n          ...SpocFields\n        }\n        otherOrg\n        otherCovert\n        otherContact {\n          ...SpocFields\n        }\n        partners\n        holderAcknowledgedAt\n        otherAcknowledgedAt\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n",
): typeof import("./graphql").DeskAlertsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query AuditTrail($kent: Boolean!, $norfolk: Boolean!, $essex: Boolean!, $ceop: Boolean!, $recordId: ID, $sub: String, $org: String, $after: String) {\n    kent @include(if: $kent) {\n      auditTrail(recordId: $recordId, sub: $sub, org: $org, first: 20, after: $after) {\n        ...AuditPageFields\n      }\n    }\n    norfolk @include(if: $norfolk) {\n      auditTrail(recordId: $recordId, sub: $sub, org: $org, first: 20, after: $after) {\n        ...AuditPageFields\n      }\n    }\n    essex @include(if: $essex) {\n      auditTrail(recordId: $recordId, sub: $sub, org: $org, first: 20, after: $after) {\n        ...AuditPageFields\n      }\n    }\n    ceop @include(if: $ceop) {\n      auditTrail(recordId: $recordId, sub: $sub, org: $org, first: 20, after: $after) {\n        ...AuditPageFields\n      }\n    }\n  }\n\n  fragment AuditPageFields on AuditPage {\n    nodes {\n      seq\n      at\n      sub\n      org\n      roles\n      purpose\n      operation\n      action\n      requestId\n      recipientOrg\n      detail\n      records {\n        id\n        kind\n        level\n        reason\n      }\n    }\n    pageInfo {\n      ...PageInfoFields\n    }\n  }\n",
): typeof import("./graphql").AuditTrailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query ExplainAccess($kent: Boolean!, $norfolk: Boolean!, $essex: Boolean!, $ceop: Boolean!, $recordId: ID!, $as: PrincipalInput!) {\n    kent @include(if: $kent) {\n      explainAccess(recordId: $recordId, as: $as) {\n        ...ExplanationFields\n      }\n    }\n    norfolk @include(if: $norfolk) {\n      explainAccess(recordId: $recordId, as: $as) {\n        ...ExplanationFields\n      }\n    }\n    essex @include(if: $essex) {\n      explainAccess(recordId: $recordId, as: $as) {\n        ...ExplanationFields\n      }\n    }\n    ceop @include(if: $ceop) {\n      explainAccess(recordId: $recordId, as: $as) {\n        ...ExplanationFields\n      }\n    }\n  }\n\n  fragment ExplanationFields on AccessExplanation {\n    read {\n      level\n      reason\n      contact {\n        ...SpocFields\n      }\n    }\n    search {\n      level\n      reason\n    }\n  }\n",
): typeof import("./graphql").ExplainAccessDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Orgs {\n    orgs {\n      code\n      name\n    }\n  }\n"): typeof import("./graphql").OrgsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query Forum($id: ID!) {\n    forum(id: $id) {\n      id\n      owner\n      classification\n      covert\n      reviewDue\n      reviewOverdue\n      createdBy\n      createdAt\n      updatedAt\n      access {\n        level\n        reason\n      }\n      grading {\n        ...GradingFields\n      }\n      platform\n      name\n      url\n      kind\n      riskSummary\n      riskLevel\n    }\n  }\n",
): typeof import("./graphql").ForumDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query ForumMonitoring($id: ID!, $after: String) {\n    forum(id: $id) {\n      id\n      monitoring(first: 20, after: $after) {\n        nodes {\n          id\n          org\n          from\n          to\n          active\n          covert\n          classification\n          leadOfficer {\n            name\n            email\n            phone\n          }\n        }\n        pageInfo {\n          ...PageInfoFields\n        }\n      }\n    }\n  }\n",
): typeof import("./graphql").ForumMonitoringDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query LinkGraph($rootId: ID!, $depth: Int!) {\n    orgs {\n      code\n    }\n    linkGraph(rootId: $rootId, depth: $depth) {\n      root {\n        id\n      }\n      nodes {\n        id\n        owner\n        classification\n        ... on OnlineIdentity {\n          handle\n        }\n        ... on Forum {\n          name\n        }\n      }\n      edges {\n        id\n        linkType\n        classification\n        from {\n          identity {\n            id\n          }\n        }\n        toIdentity {\n          identity {\n            id\n          }\n        }\n        toForum {\n          forum {\n            id\n          }\n        }\n      }\n      truncated\n      unavailableOrgs\n    }\n  }\n",
): typeof import("./graphql").LinkGraphDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query Identity($id: ID!) {\n    identity(id: $id) {\n      id\n      owner\n      classification\n      covert\n      reviewDue\n      reviewOverdue\n      createdBy\n      createdAt\n      updatedAt\n      access {\n        level\n        reason\n      }\n      grading {\n        ...GradingFields\n      }\n      platform\n      platformOther\n      handle\n      normalisedHandle\n      displayName\n      profileUrl\n      status\n      notes\n      firstSeen\n      lastSeen\n      selectors {\n        kind\n        value\n      }\n    }\n  }\n",
): typeof import("./graphql").IdentityDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query IdentityLinks($id: ID!, $after: String) {\n    identity(id: $id) {\n      id\n      links(first: 50, after: $after) {\n        nodes {\n          id\n          owner\n          linkType\n          rationale\n          classification\n          grading {\n            ...GradingFields\n          }\n          toIdentity {\n            identity {\n              id\n              handle\n              owner\n            }\n          }\n          toForum {\n            forum {\n              id\n              name\n              owner\n            }\n          }\n        }\n        pageInfo {\n          ...PageInfoFields\n        }\n      }\n    }\n  }\n",
): typeof import("./graphql").IdentityLinksDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query IdentitySightings($id: ID!, $after: String) {\n    identity(id: $id) {\n      id\n      sightings(first: 20, after: $after) {\n        nodes {\n          id\n          org\n          seenAt\n          note\n          classification\n          forum {\n            forum {\n              id\n              name\n            }\n          }\n        }\n        pageInfo {\n          ...PageInfoFields\n        }\n      }\n    }\n  }\n",
): typeof import("./graphql").IdentitySightingsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query MonitoringOverlaps($after: String) {\n    monitoringOverview {\n      overlaps(first: 20, after: $after) {\n        nodes {\n          forum {\n            forum {\n              id\n              name\n              platform\n              owner\n              riskLevel\n              classification\n            }\n          }\n          orgs\n          covertInvolved\n          assignments {\n            id\n            org\n            covert\n            active\n            from\n            to\n            classification\n            leadOfficer {\n              name\n              email\n              phone\n            }\n          }\n        }\n        pageInfo {\n          ...PageInfoFields\n        }\n      }\n    }\n  }\n",
): typeof import("./graphql").MonitoringOverlapsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query UnmonitoredHighRisk($after: String) {\n    monitoringOverview {\n      unmonitoredHighRisk(first: 20, after: $after) {\n        nodes {\n          recordId\n          forum {\n            forum {\n              id\n              name\n              platform\n              classification\n            }\n          }\n          org {\n            code\n            spoc {\n              ...SpocFields\n            }\n          }\n          access {\n            level\n            reason\n          }\n          lastMonitoredUntil\n        }\n        pageInfo {\n          ...PageInfoFields\n        }\n      }\n    }\n  }\n",
): typeof import("./graphql").UnmonitoredHighRiskDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation RequestAccess($recordId: ID!, $purpose: String!) {\n    requestAccess(recordId: $recordId, purpose: $purpose) {\n      id\n      owner\n      status\n    }\n  }\n",
): typeof import("./graphql").RequestAccessDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query AccessRequests($status: AccessRequestStatus, $after: String) {\n    accessRequests(first: 20, after: $after, status: $status) {\n      nodes {\n        id\n        recordId\n        owner\n        requesterOrg\n        requesterSub\n        purpose\n        status\n        createdAt\n        decidedAt\n        decidedBy\n        note\n        grantExpiresAt\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n",
): typeof import("./graphql").AccessRequestsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation DecideAccessRequest($id: ID!, $decision: AccessDecision!, $expiresAt: DateTimeISO, $note: String) {\n    decideAccessRequest(id: $id, decision: $decision, expiresAt: $expiresAt, note: $note) {\n      id\n      status\n    }\n  }\n",
): typeof import("./graphql").DecideAccessRequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query Search($query: String!, $platform: Platform, $fuzzy: Boolean!, $after: String) {\n    orgs {\n      code\n      name\n    }\n    search(query: $query, platform: $platform, fuzzy: $fuzzy, first: 20, after: $after) {\n      nodes {\n        recordId\n        selector\n        match\n        score\n        org {\n          code\n          name\n          spoc {\n            ...SpocFields\n          }\n        }\n        access {\n          level\n          reason\n        }\n        identity {\n          id\n          handle\n          platform\n          platformOther\n          displayName\n          status\n          classification\n          covert\n          lastSeen\n          grading {\n            ...GradingFields\n          }\n        }\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n",
): typeof import("./graphql").SearchDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query SearchDeconfliction {\n    deconflictionAlerts(first: 20, acknowledged: false) {\n      nodes {\n        id\n        trigger\n        selector\n        lastAt\n        yourRecordId\n        advice\n        contact {\n          ...SpocFields\n        }\n      }\n    }\n  }\n",
): typeof import("./graphql").SearchDeconflictionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  fragment GradingFields on Grading {\n    source\n    assessment\n    handling\n    conditions\n    conditionsOrgs\n  }\n",
): typeof import("./graphql").GradingFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  fragment SpocFields on SpocContact {\n    name\n    email\n    phone\n  }\n",
): typeof import("./graphql").SpocFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  fragment PageInfoFields on PageInfo {\n    endCursor\n    hasNextPage\n  }\n",
): typeof import("./graphql").PageInfoFieldsFragmentDoc;

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
