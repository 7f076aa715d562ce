import{a}from"./chunk-QTBVOSTK.js";import"./chunk-3JRWHNTW.js";import"./chunk-PMJADD6N.js";import"./chunk-E7DFC72G.js";import"./chunk-QNJEGDHO.js";import"./chunk-CFUYGFDE.js";import"./chunk-NUF3KNBL.js";export{a as TrainingView};
//# sourceMappingURL=chunk-3A3LBBP2.js.map
