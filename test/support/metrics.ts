// Reading one sample out of Prometheus text: the line `name value`, where name includes its
// labels exactly as the exporter prints them, for example `bngbgp_fib_routes{family="ipv4"}`.
export function metricValue(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}
