export function ChainPanel({ bundleId }: { bundleId: string }) {
  void bundleId;
  return <div data-testid="chain-panel" />;
}
