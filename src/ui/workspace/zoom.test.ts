import { describe, expect, it } from 'vitest';
import { zoomedWindow } from './zoom';

const extent = { from: 0, to: 1_000_000_000 };

describe('keyboard zoom and pan', () => {
  it('+ halves the span around the focus, - doubles it, back to the whole bundle', () => {
    const a = zoomedWindow('+', null, extent, 250_000_000)!;
    expect(a).toEqual({ from: 0, to: 500_000_000 });
    const b = zoomedWindow('+', a, extent, 250_000_000)!;
    expect(b).toEqual({ from: 125_000_000, to: 375_000_000 });
    expect(zoomedWindow('-', b, extent, null)).toEqual({ from: 0, to: 500_000_000 });
    expect(zoomedWindow('-', a, extent, null)).toBeNull();
    expect(zoomedWindow('0', b, extent, null)).toBeNull();
  });
  it('h / l pan by half a span and stay inside the bundle', () => {
    const w = { from: 100_000_000, to: 300_000_000 };
    expect(zoomedWindow('l', w, extent, null)).toEqual({ from: 200_000_000, to: 400_000_000 });
    expect(zoomedWindow('h', w, extent, null)).toEqual({ from: 0, to: 200_000_000 });
    expect(zoomedWindow('h', { from: 0, to: 200_000_000 }, extent, null)).toEqual({ from: 0, to: 200_000_000 });
    expect(zoomedWindow('l', null, extent, null)).toBeUndefined();
  });
  it('stops zooming in at a couple of milliseconds', () => {
    expect(zoomedWindow('+', { from: 0, to: 1_500 }, extent, null)).toBeUndefined();
  });
});
