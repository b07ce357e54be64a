import { afterEach, describe, expect, it, vi } from 'vitest';
import { handleStopSignals, type StopHandle } from '../../src/cli/stop-signals.ts';

let handle: StopHandle | undefined;
afterEach(() => {
  handle?.dispose();
  vi.restoreAllMocks();
});

describe('handleStopSignals', () => {
  it('turns the first SIGTERM into a stop request; a second exits at once (sluice run)', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const said: string[] = [];
    handle = handleStopSignals((t) => said.push(t));
    process.emit('SIGTERM', 'SIGTERM');
    expect(handle.signal.aborted).toBe(true);
    expect(handle.received()).toBe('SIGTERM');
    expect(said.join('')).toMatch(/SIGTERM received, stopping: .*send it again to exit at once/);
    expect(exit).not.toHaveBeenCalled();
    process.emit('SIGTERM', 'SIGTERM');
    expect(exit).toHaveBeenCalledWith(143);
  });

  it('with repeatExits false a repeat is the same request (sluice task: Slurm and the element script both signal)', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const said: string[] = [];
    handle = handleStopSignals((t) => said.push(t), { repeatExits: false });
    process.emit('SIGTERM', 'SIGTERM');
    process.emit('SIGTERM', 'SIGTERM');
    expect(handle.signal.aborted).toBe(true);
    expect(exit).not.toHaveBeenCalled();
    expect(said).toHaveLength(1);
    expect(said[0]).not.toMatch(/send it again/);
  });
});
