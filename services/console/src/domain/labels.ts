/** Display names for the API's enums; a Record over each enum so a new value fails the type check until it is named. */
import type { ForumKind, IdentityStatus, LinkType, Platform } from "../gql/graphql";

export const PLATFORMS: Record<Platform, string> = {
  SNAPCHAT: "Snapchat",
  INSTAGRAM: "Instagram",
  TIKTOK: "TikTok",
  DISCORD: "Discord",
  TELEGRAM: "Telegram",
  WHATSAPP: "WhatsApp",
  KIK: "Kik",
  ROBLOX: "Roblox",
  REDDIT: "Reddit",
  X: "X",
  FACEBOOK: "Facebook",
  OMEGLE_LIKE: "Omegle-like video chat",
  OTHER: "Other",
};

export const IDENTITY_STATUSES: Record<IdentityStatus, string> = {
  SUSPECT: "Suspect",
  VICTIM_AT_RISK: "Victim at risk",
  DECOY: "Decoy",
  UNKNOWN: "Unknown",
};

export const FORUM_KINDS: Record<ForumKind, string> = {
  CHAT_ROOM: "Chat room",
  FORUM: "Forum",
  SOCIAL_NETWORK: "Social network",
  GAME_CHAT: "Game chat",
  MESSAGING_GROUP: "Messaging group",
};

export const LINK_TYPES: Record<LinkType, { label: string; colour: string }> = {
  SAME_PERSON: { label: "Same person", colour: "#b3261e" },
  ALIAS_OF: { label: "Alias of", colour: "#7b1fa2" },
  COMMUNICATES_WITH: { label: "Communicates with", colour: "#1565c0" },
  MEMBER_OF: { label: "Member of", colour: "#2e7d32" },
  ADMIN_OF: { label: "Admin of", colour: "#ef6c00" },
};

export const keysOf = <K extends string>(record: Record<K, unknown>): K[] => Object.keys(record) as K[];
