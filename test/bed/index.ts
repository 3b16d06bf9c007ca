// The test bed: real control plane, real routers and GoBGP in namespaces. See test/README.md.
export { startControlPlane, type ControlPlane, type ControlPlaneOptions } from './controlplane.ts';
export { buildTopology, type Topology, type TopologySpec, type BngNode, type NodeSpec } from './topology.ts';
export type { Router, RouterSpec, RouterNeighbor, RouterNeighborSpec, RouterRoute } from './router.ts';
export { frrNeighbor, type FrrNeighborDetail } from './frr.ts';
export { kernelRoutes, listNetns, execIn, ip, type KernelRoute } from './netns.ts';
export { sweepOrphans, BED_PREFIX } from './ledger.ts';
export { waitFor, type WaitOptions } from './wait.ts';
export { tools } from './tools.ts';
export { startOperatorBed, coreRouters, type OperatorBed } from './operator.ts';
