// The workflows of the journeys task queue (per-user journey steps and sends): the entry of its own
// bundle, so journey changes deploy only journey workers. None yet: journeys come later.
export {};
