/** The "workers" control's one setting: open the run about to start to workers on other hosts (SHARED_RUN). */
import { create } from 'zustand';

export const useWorkersControl = create<{ share: boolean }>()(() => ({ share: false }));
