// Conditional Access facts the audience's session controls use, free of the Pulumi SDK: the config validates against
// them, and the commands that read a stack's config start without loading the SDK.

/** A Conditional Access policy's states, as Graph names them. */
export const conditionalAccessStates = ["enabledForReportingButNotEnforced", "enabled", "disabled"] as const;
