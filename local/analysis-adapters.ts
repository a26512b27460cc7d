// placeholder replaced once classifier/drafter land
export async function localAnalysisAdapters(_dir: string): Promise<never> {
  throw new Error('not yet');
}
