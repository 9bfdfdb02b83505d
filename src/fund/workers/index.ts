export { AgentWorker } from './agent-worker.ts';
export { serveAgents, WORKER_QUEUE, type ServeAgentsOptions } from './serve-agents.ts';
export { serveAgentsHttp, type HttpAgentServer, type ServeAgentsHttpOptions } from './serve-agents-http.ts';
export { decodeSession, encodeSession, type WorkerSession } from './session.ts';
export { HttpWorkerChannel } from './http-channel.ts';
export { NatsWorkerChannel } from './nats-channel.ts';
export { WorkerAgent, type WorkerChannel } from './worker-agent.ts';
