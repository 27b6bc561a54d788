export default function TimelinePanel({ bundleId }: { bundleId: string }) {
  void bundleId;
  return <div data-testid="timeline" />;
}
