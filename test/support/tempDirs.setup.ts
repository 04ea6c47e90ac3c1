// Run by jest in every test file (setupFilesAfterEnv): the temporary folders the file made go when it ends.
import { removeTempDirs } from "./tempDirs";

afterAll(removeTempDirs);
