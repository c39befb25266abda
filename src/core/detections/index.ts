export { classify, classifyDetection, extractFamilyToken, matchingRuleId, MAX_DETECTION_NAME_CHARS } from './classify-detection.ts';
export { BITDEFENDER_OEM_ENGINES, CATCHALL_NAMES, DETECTION_RULES, type DetectionRule } from './detection-rules.ts';
export type { DetectionClassification, DetectionKind } from './detection.types.ts';
export { canonicalEngineName, ENGINE_ALIAS_GROUPS, isKnownEngine, MAX_ENGINE_NAME_CHARS, type EngineAliasGroup } from './engine-names.ts';
