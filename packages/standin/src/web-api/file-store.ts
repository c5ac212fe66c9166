// Files going through Slack's external upload flow: getUploadURLExternal -> POST bytes -> completeUploadExternal.
import type { UploadedFile } from './types.js';

export type FileStore = ReturnType<typeof createFileStore>;

export function createFileStore() {
  const files = new Map<string, UploadedFile>();
  let counter = 0;

  return {
    reserve(filename: string, length: number): UploadedFile {
      const file: UploadedFile = {
        id: `F${String(++counter).padStart(10, '0')}`,
        filename,
        length,
        completed: false,
      };
      files.set(file.id, file);
      return file;
    },
    get(id: string): UploadedFile | undefined {
      return files.get(id);
    },
    save(file: UploadedFile): void {
      files.set(file.id, file);
    },
    all(): UploadedFile[] {
      return [...files.values()];
    },
    clear(): void {
      files.clear();
    },
  };
}
