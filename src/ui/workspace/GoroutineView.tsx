export function GoroutineView({ bundleId }: { bundleId: string }) {
  void bundleId;
  return <div data-testid="goroutine-view" />;
}
