// V8 flags the agent runs with (the image's entrypoint and the test bed both use these). With
// V8's defaults the heap of an agent holding a full table grows to several times what is live
// between collections; these bound it so a node with 1,000,000 routes stays within the RSS budget
// in docs/benchmarks.md. The live heap at a full table is under 100 MB.
export const AGENT_NODE_FLAGS = ['--max-old-space-size=256', '--max-semi-space-size=4'];
