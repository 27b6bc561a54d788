export default function LogView({ bundleId }: { bundleId: string }) {
  void bundleId;
  return <div data-testid="log-view" />;
}
