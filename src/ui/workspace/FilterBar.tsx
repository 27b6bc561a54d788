export function FilterBar({ bundleId }: { bundleId: string }) {
  void bundleId;
  return <div className="filter-bar" data-testid="filter-bar" />;
}
