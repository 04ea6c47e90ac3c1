const fs = require("fs");
const p = require("require-from-string")(fs.readFileSync("/tmp/provider.js", "utf8")).handler();
p.create({ state: "enabled", includeTargets: [{id:"all_users", isRegistrationRequired:false}], excludeTargets: [], minimumLifetimeInMinutes: 60, defaultLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480, defaultLength: 14, isUsableOnce: true, onDestroy: "restore", cloud: "global" })
  .then((r) => console.log("OK", r), (e) => { console.log("ERR", typeof e, e && e.constructor && e.constructor.name, e); });
