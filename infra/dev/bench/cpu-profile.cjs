// A preload for profiling a running stack (events-profile.ts): with CG_CPU_PROFILE_DIR
// set, a Node process started with `--require` of this file starts V8's CPU profiler on
// its first SIGUSR2 and writes `<script>-<pid>.cpuprofile` there on the second, so a
// profile covers exactly the phase being measured. (Node refuses --cpu-prof in
// NODE_OPTIONS, and a service's profile at exit would hold its start-up too.)
const dir = process.env.CG_CPU_PROFILE_DIR;
if (dir) {
  const inspector = require('node:inspector');
  const fs = require('node:fs');
  const path = require('node:path');
  const script = process.argv.find((a) => a.endsWith('.ts')) ?? 'node';
  const label = script.replace(/^.*?(services|gateway|infra)\//, '$1/').replace(/[/.]/g, '_');
  const session = new inspector.Session();
  session.connect();
  let profiling = false;
  process.on('SIGUSR2', () => {
    if (!profiling) {
      profiling = true;
      session.post('Profiler.enable', () => session.post('Profiler.start'));
      return;
    }
    profiling = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      const file = path.join(dir, `${label}-${process.pid}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(result.profile));
    });
  });
}
