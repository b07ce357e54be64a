// No TypeScript imports: only the check for JSX extensions sends it to tsx.
const g = globalThis as { sluiceFixtureRuns?: string[] };
(g.sluiceFixtureRuns ??= []).push('ran');
export default (): boolean => true;
