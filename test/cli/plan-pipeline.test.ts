import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planPipeline } from '../../src/cli/plan-pipeline.ts';

/**
 * Workers import a pipeline script only for the operators it defines: a script built from sluice's
 * own operators is not imported by them (a TypeScript one would cost each worker a tsx loader).
 */
describe('the modules a planned pipeline asks workers to import', () => {
  it('are none when every operator is one of sluice\'s own', async () => {
    const { physical } = await planPipeline({
      pipeline: 'pipelines/refinedweb.ts', input: resolve('fixtures/warc'), output: '/tmp/sluice-plan-pipeline-test', options: {},
    });
    expect(physical.stages.some((s) => s.steps.some((step) => step.kind === 'apply' && step.op === 'extract_text'))).toBe(true);
    expect(physical.modules).toEqual([]);
  });

  it('are the script when it applies an operator it defines', async () => {
    const pipeline = 'test/exec/pipelines/fail-on-word.ts';
    const { physical } = await planPipeline({
      pipeline, input: resolve('fixtures/jsonl'), output: '/tmp/sluice-plan-pipeline-test', options: {},
    });
    expect(physical.modules).toEqual([resolve(pipeline)]);
  });
});
