import{a}from"./chunk-WAEZSKSS.js";import"./chunk-3JRWHNTW.js";import"./chunk-DE4QN2GU.js";import"./chunk-E7DFC72G.js";import"./chunk-PSHGVPDN.js";import"./chunk-CFUYGFDE.js";import"./chunk-NUF3KNBL.js";export{a as TrainingView};
//# sourceMappingURL=chunk-3IOX2T57.js.map
