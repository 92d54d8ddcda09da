// The graphql-codegen CLI's configuration; see client-codegen.ts.
import { codegenConfig } from "./client-codegen";

export default codegenConfig();
