// Live monitoring use cases (issue #6): the room grid, the flag feed and its evidence, warnings, ending an exam
// for a violation, and the support view. Transport (routes, socket handlers) calls these; nothing here knows about it.
export { sessionMonitor } from './grid.ts';
export { listFlags, reviewFlag, readEvidence } from './flags.ts';
export { EvidenceCollector, isJpeg, type SnapshotSource } from './evidence.ts';
export { sendWarning, listWarnings, acknowledgeWarning, endByStaff } from './warnings.ts';
export { supportRows } from './support.ts';
export { type Staff } from './scope.ts';
export { monitoringSettingsFromEnv, defaultMonitoringSettings, MonitoringConfigError, type MonitoringSettings } from './settings.ts';
