export { AgentWorker } from './agent-worker.ts';
export { serveAgents, WORKER_QUEUE, type ServeAgentsOptions } from './serve-agents.ts';
export { decodeSession, encodeSession, type WorkerSession } from './session.ts';
export { SessionHost, WorkerAgent } from './worker-agent.ts';
