import { registerEnumType } from "type-graphql";
import type { ForumRiskLevel } from "@interforce/domain";

export const ForumRiskLevelEnum: { [K in ForumRiskLevel]: K } = { LOW: "LOW", MEDIUM: "MEDIUM", HIGH: "HIGH" };
registerEnumType(ForumRiskLevelEnum, {
  name: "ForumRiskLevel",
  description: "The forum's risk; CEOP is shown HIGH forums that no org is monitoring.",
});
