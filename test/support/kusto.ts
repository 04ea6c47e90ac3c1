// Microsoft's Kusto language service, loaded with the AuditLogs, SigninLogs and AzureActivity schemas from the Azure
// Monitor table reference (components/detections/tables) and the workspace functions entra-tap declares, to parse and
// bind queries offline as Log Analytics would.
import * as fs from "node:fs";
import * as path from "node:path";
import "@kusto/language-service-next/bridge.js";
import "@kusto/language-service-next/Kusto.Language.Bridge.js";
import { grantFunctions } from "../../components/detections/grantFunctions";

interface TableFile {
  table: string;
  columns: { name: string; type: string }[];
}

// The bridge defines the language service as a global namespace.
const K = (globalThis as unknown as { Kusto: { Language: KustoLanguage } }).Kusto.Language;
type KustoLanguage = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const tablesDir = path.join(__dirname, "../../components/detections/tables");

export function loadTables(): TableFile[] {
  return fs
    .readdirSync(tablesDir)
    .filter((file) => file.endsWith(".json"))
    .map((file) => JSON.parse(fs.readFileSync(path.join(tablesDir, file), "utf8")) as TableFile);
}

function scalarType(type: string) {
  const types = K.Symbols.ScalarTypes;
  const byName: Record<string, unknown> = {
    string: types.String,
    datetime: types.DateTime,
    dynamic: types.Dynamic,
    int: types.Int,
    long: types.Long,
    real: types.Real,
    bool: types.Bool,
    guid: types.Guid,
    timespan: types.TimeSpan,
  };
  if (!(type in byName)) throw new Error(`unknown Kusto type ${type}`);
  return byName[type];
}

function globalState() {
  const tables = loadTables().map(
    (table) =>
      new K.Symbols.TableSymbol.$ctor4(
        table.table,
        table.columns.map((column) => new K.Symbols.ColumnSymbol(column.name, scalarType(column.type))),
      ),
  );
  // The functions as TapMonitoring declares them, without rows: their columns are what the queries bind against.
  const functions = grantFunctions([], []).map(
    (fn) => new K.Symbols.FunctionSymbol.$ctor16(fn.alias, "()", `{ ${fn.body} }`),
  );
  const database = new K.Symbols.DatabaseSymbol.$ctor1("workspace", [...tables, ...functions], false);
  const cluster = new K.Symbols.ClusterSymbol.ctor("loganalytics", [database]);
  return K.GlobalState.Default.WithCluster(cluster).WithDatabase(database);
}

const globals = globalState();

/** Errors from parsing and binding `query` against the tables; empty when Log Analytics would accept it. */
export function kqlErrors(query: string): string[] {
  const diagnostics = K.KustoCode.ParseAndAnalyze(query, globals).GetDiagnostics();
  const errors: string[] = [];
  for (let i = 0; i < diagnostics.Count; i++) {
    const diagnostic = diagnostics.getItem(i);
    if (diagnostic.Severity === "Error") {
      errors.push(
        `${diagnostic.Message} (at ${diagnostic.Start}: ${query.slice(diagnostic.Start, diagnostic.End)})`,
      );
    }
  }
  return errors;
}
