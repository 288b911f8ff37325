/**
 * Which webContents may call main (security checklist item 17, GitHub Desktop's trusted-sender set): the
 * ids of our own windows, removed when they are destroyed, and only while they show the app's own page.
 */
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { isAppUrl } from './window';

export class TrustedSenders {
  private readonly ids = new Set<number>();
  constructor(private readonly appRootUrl: string) {}

  add(contents: WebContents): void {
    const id = contents.id;
    this.ids.add(id);
    contents.once('destroyed', () => this.ids.delete(id));
  }

  /** Trusted: a known window id whose sending frame shows the app's own page. */
  check(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>): boolean {
    if (!this.ids.has(event.sender.id)) return false;
    const frame = event.senderFrame;
    return frame !== null && isAppUrl(frame.url, this.appRootUrl);
  }
}
