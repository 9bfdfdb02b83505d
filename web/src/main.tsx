import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './design/styles.css';
import { App } from './app.tsx';

const root = document.getElementById('root');
if (root === null) throw new Error('#root missing');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
