// The page: keeps the image's file bytes and the clicks, posts them to /segment and draws the returned mask over the image.
// The overlay canvas carries the last answer in data attributes (data-score, data-mask-png) for tests.
const image = document.getElementById('image');
const overlay = document.getElementById('overlay');
const status = document.getElementById('status');
let imageBase64 = null;
let points = [];

async function loadBytes(blob) {
  const buffer = new Uint8Array(await blob.arrayBuffer());
  let text = '';
  for (let i = 0; i < buffer.length; i += 0x8000) text += String.fromCharCode(...buffer.subarray(i, i + 0x8000));
  imageBase64 = btoa(text);
}

async function useImage(url, blob) {
  points = [];
  await loadBytes(blob);
  image.onload = () => {
    overlay.width = image.naturalWidth;
    overlay.height = image.naturalHeight;
    overlay.getContext('2d').clearRect(0, 0, overlay.width, overlay.height);
    status.textContent = 'ready';
  };
  image.src = url;
}

async function segment() {
  status.textContent = 'segmenting';
  const response = await fetch('segment', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ image: imageBase64, points }),
  });
  const answer = await response.json();
  if (!response.ok) { status.textContent = 'error: ' + (answer.detail || response.status); return; }
  const mask = new Image();
  mask.onload = () => {
    const context = overlay.getContext('2d');
    context.clearRect(0, 0, overlay.width, overlay.height);
    context.drawImage(mask, 0, 0);
    const pixels = context.getImageData(0, 0, overlay.width, overlay.height);
    for (let i = 0; i < pixels.data.length; i += 4) {
      const on = pixels.data[i] > 127;
      pixels.data.set(on ? [30, 144, 255, 128] : [0, 0, 0, 0], i);
    }
    context.putImageData(pixels, 0, 0);
    for (const p of points) {
      context.fillStyle = p.label === 1 ? 'lime' : 'red';
      context.fillRect(p.x - 2, p.y - 2, 5, 5);
    }
    overlay.dataset.score = String(answer.score);
    overlay.dataset.maskPng = answer.maskPng;
    overlay.dataset.points = JSON.stringify(points);
    status.textContent = 'done ' + points.length;
  };
  mask.src = 'data:image/png;base64,' + answer.maskPng;
}

function click(event, label) {
  event.preventDefault();
  const bounds = overlay.getBoundingClientRect();
  const x = Math.floor((event.clientX - bounds.left) * overlay.width / bounds.width);
  const y = Math.floor((event.clientY - bounds.top) * overlay.height / bounds.height);
  points.push({ x, y, label });
  segment();
}

overlay.addEventListener('click', e => click(e, 1));
overlay.addEventListener('contextmenu', e => click(e, 0));
document.getElementById('clear').addEventListener('click', () => {
  points = [];
  overlay.getContext('2d').clearRect(0, 0, overlay.width, overlay.height);
});
document.getElementById('file').addEventListener('change', e => {
  const file = e.target.files[0];
  if (file) useImage(URL.createObjectURL(file), file);
});
fetch('sample/plant.png').then(r => r.blob()).then(blob => useImage('sample/plant.png', blob));
