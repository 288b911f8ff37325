import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The renderer is one static bundle served two ways: from file:// by the Electron window (hence the
// relative `base`) and over http by the browser host (`xnai-migrate ui`). No dev-only globals leak in.
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    // recharts + react are most of the bundle; one file keeps file:// loading simple in Electron.
    chunkSizeWarningLimit: 1500,
  },
});
