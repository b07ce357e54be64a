// Records that it ran: a fallback must not run a module the CommonJS path already ran.
const g = globalThis as { sluiceFixtureRuns?: string[] };
(g.sluiceFixtureRuns ??= []).push('ran');
export const ran = true;
