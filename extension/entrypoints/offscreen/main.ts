import { startOffscreenUploads } from '../../utils/offscreen-uploads';

// Opened by the background only while it uploads an image (see utils/image-upload.ts).
startOffscreenUploads();
